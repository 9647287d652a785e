// Removes an unplayable segment from the index: an empty file is deleted, a non-empty one renamed *.unreadable and kept.
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../../storage/repositories';
import { asLog, type LogSink } from '../../common/log';

export async function quarantineSegment(
  store: Store,
  recordingsDir: string,
  relPath: string,
  why: string,
  log: LogSink,
): Promise<'removed' | 'renamed' | 'missing'> {
  const row = await store.segments.getByPath(relPath);
  if (row) await store.segments.deleteByIds([row.id]);
  const file = path.join(recordingsDir, ...relPath.split('/'));
  const st = await fs.promises.stat(file).catch(() => null);
  let outcome: 'removed' | 'renamed' | 'missing' = 'missing';
  if (st && st.size === 0) {
    await fs.promises.rm(file, { force: true });
    outcome = 'removed';
  } else if (st) {
    await fs.promises.rename(file, file + '.unreadable');
    outcome = 'renamed';
  }
  asLog(log).warn(
    `${relPath}: ${why}; ${outcome === 'renamed' ? 'renamed to .unreadable' : outcome === 'removed' ? 'removed empty file' : 'file missing'}; index row dropped`,
    { relPath, outcome },
  );
  return outcome;
}
