// Evidence package manifest: SHA-256 of files, the package walk, and the offline verification (used by scripts/verify-export.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Manifest, ManifestFile } from '../../../common/investigation';
import { checkManifestSignature, type SignatureCheck } from './manifest-sign';

export const MANIFEST_NAME = 'manifest.json';

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    const rs = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    rs.on('data', (c) => h.update(c));
    rs.on('error', reject);
    rs.on('end', () => resolve());
  });
  return h.digest('hex');
}

/** Every regular file under dir (relative, forward slashes, sorted), the manifest excluded. */
export async function listPackageFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await fs.promises.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (r !== MANIFEST_NAME) out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

export async function describeFiles(dir: string, rels: string[]): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const rel of rels) {
    const full = path.join(dir, ...rel.split('/'));
    files.push({ path: rel, sha256: await sha256File(full), sizeBytes: (await fs.promises.stat(full)).size });
  }
  return files;
}

export interface VerifyResult {
  ok: boolean;
  changed: string[];
  added: string[];
  removed: string[];
  /** The manifest itself is missing or unreadable. */
  manifestError: string | null;
  checked: number;
  /** The manifest's signature (null when the manifest could not be read). */
  signature: SignatureCheck | null;
}

/**
 * Checks a package offline against its manifest: names every file changed, added or removed, and checks the
 * manifest's signature against `publicKeyPem` (or the key embedded in it). ok needs both, unless `allowUnsigned` and
 * the manifest carries no signature at all (packages made before signing).
 */
export async function verifyPackage(dir: string, opts: { publicKeyPem?: string; allowUnsigned?: boolean } = {}): Promise<VerifyResult> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.promises.readFile(path.join(dir, MANIFEST_NAME), 'utf8')) as Manifest;
    if (manifest.format !== 'argus-evidence/1' || !Array.isArray(manifest.files)) throw new Error('not an Argus evidence manifest');
  } catch (err) {
    return { ok: false, changed: [], added: [], removed: [], manifestError: (err as Error).message, checked: 0, signature: null };
  }
  const present = new Set(await listPackageFiles(dir));
  const listed = new Set(manifest.files.map((f) => f.path));
  const changed: string[] = [];
  const removed: string[] = [];
  for (const f of manifest.files) {
    if (!present.has(f.path)) {
      removed.push(f.path);
      continue;
    }
    const full = path.join(dir, ...f.path.split('/'));
    const size = (await fs.promises.stat(full)).size;
    if (size !== f.sizeBytes || (await sha256File(full)) !== f.sha256) changed.push(f.path);
  }
  const added = [...present].filter((p) => !listed.has(p));
  const signature = checkManifestSignature(manifest, opts.publicKeyPem);
  const signed = signature.state === 'ok' || (signature.state === 'unsigned' && !!opts.allowUnsigned);
  return {
    ok: signed && changed.length + added.length + removed.length === 0,
    changed,
    added,
    removed,
    manifestError: null,
    checked: manifest.files.length,
    signature,
  };
}
