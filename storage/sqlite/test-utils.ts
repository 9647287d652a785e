// Test helpers for the SQLite storage tests: a fresh store in a temp directory, removed again by cleanup().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewCamera, NewSegment } from '../repositories';
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './index';

export interface TempStore {
  store: SqliteStore;
  dir: string;
  file: string;
  /** Closes the store (if still open) and removes the directory. */
  cleanup(): Promise<void>;
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'argus-storage-'));
}

export async function openTempStore(opts: SqliteStoreOptions = {}): Promise<TempStore> {
  const dir = await makeTempDir();
  const file = join(dir, 'argus.db');
  const store = await openSqliteStore(file, { log: () => undefined, ...opts });
  return {
    store,
    dir,
    file,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const T0 = Date.UTC(2025, 2, 1, 0, 0, 0);

export function camera(name: string, over: Partial<NewCamera> = {}): NewCamera {
  return {
    name,
    url: 'rtsp://10.0.0.1/stream1',
    subUrl: null,
    username: null,
    password: null,
    transport: 'tcp',
    enabled: true,
    segmentSeconds: 60,
    retentionDays: 30,
    groupName: null,
    description: null,
    ...over,
  };
}

export function segment(cameraId: number, startMs: number, endMs: number, over: Partial<NewSegment> = {}): NewSegment {
  return {
    cameraId,
    relPath: `cam-${cameraId}/${startMs}.mp4`,
    startMs,
    endMs,
    durationMs: endMs - startMs,
    sizeBytes: 1000,
    videoCodec: 'h264',
    audioCodec: null,
    width: 1920,
    height: 1080,
    fps: 25,
    state: 'closed',
    protected: false,
    recovered: false,
    ...over,
  };
}
