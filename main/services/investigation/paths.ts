// Confines every user-given name (case references, export names) to a directory: sanitised components, checked containment.
import path from 'node:path';
import { ApiError } from '../../server/errors';

/** A file-system-safe component from user text: letters, digits, '-', '_', '.'; others become '_'; never '.', '..' or empty. */
export function safeComponent(text: string, maxLength = 64): string {
  let s = text.normalize('NFKC').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, maxLength);
  if (s === '' || s === '.' || s === '..') s = '_';
  return s;
}

/**
 * Joins `parts` under `root` and proves the result stays inside it (after resolving '..' and separators). Throws a
 * 400 naming `field` otherwise: a name can never escape the export directory.
 */
export function insideDir(root: string, parts: string[], field: string): string {
  const base = path.resolve(root);
  const full = path.resolve(base, ...parts);
  const rel = path.relative(base, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).includes('..'))
    throw ApiError.validation([{ path: field, message: 'would leave the export directory' }], `${field} "${parts.join('/')}" would leave the export directory`);
  return full;
}

/** Rejects text that names a path outside (.., absolute, backslash, NUL), with a 400 on `field`. */
export function refuseTraversal(text: string, field: string): void {
  if (text.includes('\0') || text.includes('\\') || text.startsWith('/') || /^[A-Za-z]:/.test(text) || text.split('/').some((c) => c === '..' || c === '.'))
    throw ApiError.validation([{ path: field, message: 'must not contain "..", ".", absolute paths or backslashes' }], `${field} must not name a path outside the export directory`);
}
