// Owner-only data: the server's umask (0077) and, at start, the data directory, database, key files and media folders tightened.
import fs from 'node:fs';
import path from 'node:path';

/** Mode of every directory Argus keeps data in (owner only). */
export const DIR_MODE = 0o700;
/** Mode of every file Argus writes: the database, key files, segments, exports, snapshots, logs (owner only). */
export const FILE_MODE = 0o600;

export interface Tightened {
  /** Paths whose mode was looser than owner-only and was narrowed, with the old mode (octal text). */
  changed: Array<{ path: string; from: string; to: string }>;
}

function tighten(p: string, mode: number, out: Tightened): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return; // not there (yet): created later under the umask
  }
  const cur = st.mode & 0o777;
  if ((cur & 0o077) === 0) return;
  fs.chmodSync(p, mode);
  out.changed.push({ path: p, from: cur.toString(8), to: mode.toString(8) });
}

/**
 * Sets the process umask to 0077 (every file and folder the server and its ffmpeg children create from now on is owner
 * only: ffmpeg inherits the umask) and narrows what already exists: the data directory and its media folders to 0700,
 * the database (with -wal, -shm) and key files to 0600. Files inside the folders are not walked (there may be millions
 * of segments): an owner-only folder already keeps every other user out. Returns what was changed (logged by the caller).
 */
export function restrictDataDir(paths: { dataDir: string; dbFile: string; recordingsDir: string; keyFiles: readonly string[] }): Tightened {
  process.umask(0o077);
  const out: Tightened = { changed: [] };
  fs.mkdirSync(paths.dataDir, { recursive: true, mode: DIR_MODE });
  tighten(paths.dataDir, DIR_MODE, out);
  for (const d of [paths.recordingsDir, ...['exports', 'snapshots', 'export-index', 'keys', 'logs'].map((n) => path.join(paths.dataDir, n))]) {
    tighten(d, DIR_MODE, out);
  }
  for (const f of [paths.dbFile, `${paths.dbFile}-wal`, `${paths.dbFile}-shm`, ...paths.keyFiles]) tighten(f, FILE_MODE, out);
  return out;
}
