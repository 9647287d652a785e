// Test helpers for the SQLite storage tests: a fresh store in a temp directory, removed again by cleanup().
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewCamera, NewSegment } from '../repositories';
import { openSqliteStore, type SecretCodec, type SqliteStore, type SqliteStoreOptions } from './index';

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

/**
 * A codec for storage tests (storage may not import the server's SecretBox): AES-256-GCM under a random key of this
 * codec, "s1:test:iv:tag:ct". Values sealed by another test codec do not open (like a wrong key).
 */
export function testCodec(): SecretCodec {
  const key = randomBytes(32);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['s1', 'test', iv.toString('base64'), c.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
    },
    open(sealed) {
      const [, , iv, tag, ct] = sealed.split(':');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64'));
      d.setAuthTag(Buffer.from(tag!, 'base64'));
      return Buffer.concat([d.update(Buffer.from(ct!, 'base64')), d.final()]).toString('utf8');
    },
    isCurrent: (sealed) => sealed.startsWith('s1:test:'),
  };
}

export async function openTempStore(opts: SqliteStoreOptions = {}): Promise<TempStore> {
  const dir = await makeTempDir();
  const file = join(dir, 'argus.db');
  const codec = testCodec();
  const store = await openSqliteStore(file, { log: () => undefined, secrets: () => codec, ...opts });
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
