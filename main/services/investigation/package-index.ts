// The ZIP index of an export package: each file's size, mtime and CRC-32, computed once (at export time) and kept in a sidecar outside the package.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { listPackageFiles, MANIFEST_NAME } from './manifest';

export interface IndexedFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  crc32: number;
}

export interface PackageIndex {
  format: 'argus-zip-index/1';
  files: IndexedFile[];
}

/** Sidecars live in <indexDir>/<package>.json (default <dataDir>/export-index), outside the package and the exports directory. */
export function indexFileOf(indexDir: string, dirName: string): string {
  return path.join(indexDir, `${dirName}.json`);
}

export async function crc32File(file: string): Promise<number> {
  let crc = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) crc = zlib.crc32(chunk as Buffer, crc);
  return crc >>> 0;
}

/** The package's files in archive order: manifest.json first, then the others sorted. */
async function packageFiles(dir: string): Promise<string[]> {
  return [MANIFEST_NAME, ...(await listPackageFiles(dir))];
}

export async function buildIndex(dir: string): Promise<PackageIndex> {
  const files: IndexedFile[] = [];
  for (const rel of await packageFiles(dir)) {
    const full = path.join(dir, ...rel.split('/'));
    const st = await fs.promises.stat(full);
    files.push({ path: rel, sizeBytes: st.size, mtimeMs: Math.round(st.mtimeMs), crc32: await crc32File(full) });
  }
  return { format: 'argus-zip-index/1', files };
}

/** Is the sidecar still true to the directory (same files, sizes and mtimes)? */
async function stillValid(dir: string, idx: PackageIndex): Promise<boolean> {
  const rels = await packageFiles(dir);
  if (rels.length !== idx.files.length) return false;
  for (const [i, rel] of rels.entries()) {
    const f = idx.files[i]!;
    if (f.path !== rel) return false;
    const st = await fs.promises.stat(path.join(dir, ...rel.split('/'))).catch(() => null);
    if (!st || st.size !== f.sizeBytes || Math.round(st.mtimeMs) !== f.mtimeMs) return false;
  }
  return true;
}

/** Writes the sidecar (atomically: temp file + rename). */
export async function writeIndex(indexDir: string, dirName: string, dir: string): Promise<PackageIndex> {
  const idx = await buildIndex(dir);
  const file = indexFileOf(indexDir, dirName);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, JSON.stringify(idx));
  await fs.promises.rename(tmp, file);
  return idx;
}

/** The sidecar, rebuilt when missing (packages exported before the index existed) or stale (a file changed). */
export async function loadIndex(indexDir: string, dirName: string, dir: string): Promise<PackageIndex> {
  const file = indexFileOf(indexDir, dirName);
  try {
    const idx = JSON.parse(await fs.promises.readFile(file, 'utf8')) as PackageIndex;
    if (idx.format === 'argus-zip-index/1' && (await stillValid(dir, idx))) return idx;
  } catch {
    // missing or unreadable: rebuild
  }
  return writeIndex(indexDir, dirName, dir);
}
