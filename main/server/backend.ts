// Wires the back end together: storage, crash recovery, recorders, retention and the HTTP/WebSocket server.
import fs from 'node:fs';
import type { Config } from '../config';
import { openSqliteStore } from '../../storage/sqlite/index';
import { configureFfmpeg, ffmpegVersion } from '../../media/ffmpeg';
import type { RecorderOptions } from '../../media/recorder';
import { RecordingService } from '../services/recording';
import { recover, type RecoveryReport } from '../services/recovery';
import { RetentionService } from '../services/retention';
import { createApp } from './app';
import { ensureAdmin } from './auth';
import type { Store } from '../../storage/repositories';

export interface Backend {
  config: Config;
  store: Store;
  port: number;
  url: string;
  recording: RecordingService;
  retention: RetentionService;
  recovery: RecoveryReport;
  close(): Promise<void>;
}

export async function startBackend(
  config: Config,
  opts: { log?: (m: string) => void; recorderOptions?: RecorderOptions; env?: NodeJS.ProcessEnv } = {},
): Promise<Backend> {
  const log = opts.log ?? ((m: string) => console.log(m));
  fs.mkdirSync(config.recordingsDir, { recursive: true });
  configureFfmpeg({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
  const version = ffmpegVersion();
  if (!version) throw new Error(`ffmpeg not found at "${config.ffmpegPath}" (install ffmpeg or set ffmpegPath in argus.json)`);
  log(`[argus] ${version}`);
  const store = await openSqliteStore(config.dbFile);
  await ensureAdmin(store, log, opts.env ?? process.env);

  const recovery = await recover({ store, recordingsDir: config.recordingsDir, log });
  log(
    `[argus] recovery: ${recovery.closedPartial} partial segments closed, ${recovery.indexedUnknown} unindexed files indexed, ` +
      `${recovery.droppedRows} rows dropped, ${recovery.orphansKilled} leftover recorders stopped`,
  );

  // The app's publish is bound after creation; the recording service needs it first.
  let publish: (ev: import('../../common/events').ServerEvent) => void = () => undefined;
  const recording = new RecordingService({
    store,
    recordingsDir: config.recordingsDir,
    publish: (ev) => publish(ev),
    log,
    recorderOptions: opts.recorderOptions,
  });
  const app = createApp({ config, store, recording, log });
  publish = (ev) => app.hub.publish(ev);
  const retention = new RetentionService(
    {
      recordingsDir: config.recordingsDir,
      maxRecordingsBytes: config.maxRecordingsBytes,
      minFreeBytes: config.minFreeBytes,
      intervalMs: config.retentionIntervalMs,
      freeCheckIntervalMs: config.freeSpaceCheckMs,
    },
    { store, publish: (ev) => publish(ev), log },
  );
  const port = await app.listen();
  const host = config.bind === '0.0.0.0' || config.bind === '::' ? '127.0.0.1' : config.bind;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await recording.startAll();
  retention.start();
  void retention.runOnce();
  log(`[argus] listening on ${url} (data: ${config.dataDir}, recordings: ${config.recordingsDir})`);

  let closed = false;
  return {
    config,
    store,
    port,
    url,
    recording,
    retention,
    recovery,
    async close() {
      if (closed) return;
      closed = true;
      await retention.close();
      await recording.close();
      await app.close();
      await store.close();
    },
  };
}
