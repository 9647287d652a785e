// Crash recovery at start-up: reconcile the segment index with the files on disk (docs/design/recording.md, "Recovery").
import fs from 'node:fs';
import path from 'node:path';
import type { NewSegment, Store } from '../../storage/repositories';
import { probe } from '../../media/probe';
import type { FfmpegLauncher } from '../../media/ffmpeg-launcher';
import { isSegmentFileName } from '../../media/ffmpeg-args/recording';
import { killOrphanRecorders } from '../../media/orphans';
import { quarantineSegment } from './quarantine';
import { asLog, type LogSink } from '../../common/log';

export interface RecoveryReport {
  orphansKilled: number;
  /** 'writing' rows closed with their true duration. */
  closedPartial: number;
  /** Files on disk that the index lacked, now indexed. */
  indexedUnknown: number;
  /** Rows dropped because their file is gone (or empty / unreadable). */
  droppedRows: number;
  /** Unreadable files renamed to *.unreadable. */
  quarantined: number;
}

export async function recover(deps: { store: Store; recordingsDir: string; ffmpeg: FfmpegLauncher; log?: LogSink }): Promise<RecoveryReport> {
  const log = asLog(deps.log, 'recovery');
  const { store, recordingsDir } = deps;
  const report: RecoveryReport = { orphansKilled: 0, closedPartial: 0, indexedUnknown: 0, droppedRows: 0, quarantined: 0 };

  // 1. No earlier writer may keep going: stop leftover ffmpeg processes writing under our recordings dir.
  const orphans = await killOrphanRecorders(recordingsDir);
  report.orphansKilled = orphans.length;
  for (const o of orphans) log.warn(`stopped leftover recorder pid ${o.pid}`, { pid: o.pid });

  const abs = (rel: string) => path.join(recordingsDir, ...rel.split('/'));

  const quarantine = async (rel: string, why: string) => {
    if ((await quarantineSegment(store, recordingsDir, rel, why, log)) === 'renamed') report.quarantined++;
  };

  // 2. Segments that were being written when the server or ffmpeg died: index them with their true duration.
  for (const row of await store.segments.listWriting()) {
    const file = abs(row.relPath);
    const st = await fs.promises.stat(file).catch(() => null);
    if (!st) {
      await store.segments.deleteByIds([row.id]);
      report.droppedRows++;
      log.warn(`${row.relPath}: file missing; index row dropped`, { relPath: row.relPath });
      continue;
    }
    try {
      const info = await probe(deps.ffmpeg, file);
      if (info.durationMs <= 0) throw new Error('no playable frames');
      await store.segments.update(row.id, {
        endMs: row.startMs + info.durationMs,
        durationMs: info.durationMs,
        sizeBytes: st.size,
        videoCodec: info.videoCodec,
        audioCodec: info.audioCodec,
        width: info.width,
        height: info.height,
        fps: info.fps,
        state: 'closed',
        recovered: true,
      });
      report.closedPartial++;
      log.info(`${row.relPath}: partial segment closed, ${info.durationMs} ms`, { relPath: row.relPath, durationMs: info.durationMs });
    } catch (e) {
      report.droppedRows++;
      await quarantine(row.relPath, (e as Error).message);
    }
  }

  // 3. Files the index lacks; 4. index rows whose files are gone. One camera directory at a time.
  const camDirs = (await fs.promises.readdir(recordingsDir, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && /^\d+$/.test(d.name))
    .map((d) => Number(d.name));
  const cameraIds = [...new Set([...camDirs, ...(await store.segments.listCameraIds())])].sort((a, b) => a - b);
  for (const cameraId of cameraIds) {
    const indexed = await store.segments.listPaths(cameraId);
    const onDisk = new Set<string>();
    const d = { name: String(cameraId) };
    const files = (await fs.promises.readdir(path.join(recordingsDir, d.name)).catch(() => [] as string[])).filter(isSegmentFileName).sort();
    const missing: NewSegment[] = [];
    for (const f of files) {
      const rel = `${d.name}/${f}`;
      onDisk.add(rel);
      if (indexed.has(rel)) continue;
      const file = abs(rel);
      try {
        const st = await fs.promises.stat(file);
        const info = await probe(deps.ffmpeg, file);
        if (info.durationMs <= 0) throw new Error('no playable frames');
        const endMs = Math.round(st.mtimeMs);
        missing.push({
          cameraId,
          relPath: rel,
          startMs: endMs - info.durationMs,
          endMs,
          durationMs: info.durationMs,
          sizeBytes: st.size,
          videoCodec: info.videoCodec,
          audioCodec: info.audioCodec,
          width: info.width,
          height: info.height,
          fps: info.fps,
          state: 'closed',
          protected: false,
          recovered: true,
        });
        log.info(`${rel}: unindexed file indexed, ${info.durationMs} ms`, { relPath: rel, durationMs: info.durationMs });
      } catch (e) {
        onDisk.delete(rel);
        await quarantine(rel, (e as Error).message);
      }
    }
    if (missing.length) {
      await store.segments.insertMany(missing);
      report.indexedUnknown += missing.length;
    }
    const gone: number[] = [];
    for (const rel of indexed) {
      if (onDisk.has(rel)) continue;
      const row = await store.segments.getByPath(rel);
      if (row && row.state === 'closed') {
        gone.push(row.id);
        log.warn(`${rel}: file is gone; index row dropped`, { relPath: rel });
      }
    }
    if (gone.length) await store.segments.deleteByIds(gone);
    report.droppedRows += gone.length;
  }
  return report;
}
