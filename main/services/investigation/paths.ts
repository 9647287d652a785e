// Confines every user-given name (case references, export names) to a directory: sanitised components, checked containment.
import { msg } from '../../../common/messages';
import path from 'node:path';
import { DomainError } from '../../platform/errors';

/** What no common file system or path can hold: separators, Windows-reserved punctuation, control and invisible format characters. */
const UNSAFE_RE = /[/\\:*?"<>|\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;
/** Device names Windows refuses as a file name, with or without an extension. */
const RESERVED_RE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$/i;

/**
 * A file-name component from user text (camera names, case references): keeps letters of every script, digits, spaces
 * and punctuation; replaces only what a file system or path cannot hold (/ \ : * ? " < > |, control and invisible
 * characters) with '_'; no leading dot or space, no trailing dot or space, no reserved Windows device name; at most
 * `maxLength` characters (code points); never empty, '.' or '..'.
 */
export function safeComponent(text: string, maxLength = 64): string {
  let s = text.normalize('NFC').replace(UNSAFE_RE, '_');
  s = [...s].slice(0, maxLength).join('');
  s = s
    .replace(/^\s+/, '')
    .replace(/^\.+/, '_')
    .replace(/[.\s]+$/, '');
  if (RESERVED_RE.test(s)) s = `_${s}`;
  return s === '' ? '_' : s;
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
    throw DomainError.field(field, msg('export.path_escapes'), `${field} "${parts.join('/')}" would leave the export directory`);
  return full;
}

/** Rejects text that names a path outside (.., absolute, backslash, NUL), with a 400 on `field`. */
export function refuseTraversal(text: string, field: string): void {
  if (text.includes('\0') || text.includes('\\') || text.startsWith('/') || /^[A-Za-z]:/.test(text) || text.split('/').some((c) => c === '..' || c === '.'))
    throw DomainError.field(field, msg('export.path_invalid'), `${field} must not name a path outside the export directory`);
}
