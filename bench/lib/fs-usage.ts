// Benchmark helper: bytes held by the files under a directory, in total and per first-level subdirectory.
import fs from 'node:fs';
import path from 'node:path';

export interface DirUsage {
  totalBytes: number;
  files: number;
  /** First-level subdirectory name -> bytes of the files below it. */
  bySubdir: Map<string, number>;
}

/** Walks `root` (missing directories and files vanishing mid-walk count as empty). */
export function dirUsage(root: string): DirUsage {
  const usage: DirUsage = { totalBytes: 0, files: 0, bySubdir: new Map() };
  const walk = (dir: string, top: string | null) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p, top ?? e.name);
        continue;
      }
      if (!e.isFile()) continue;
      let size: number;
      try {
        size = fs.statSync(p).size;
      } catch {
        continue;
      }
      usage.totalBytes += size;
      usage.files++;
      if (top !== null) usage.bySubdir.set(top, (usage.bySubdir.get(top) ?? 0) + size);
    }
  };
  walk(root, null);
  return usage;
}
