// SQLite GbRecordsRepo: downloads of GB/T 28181 device recordings (gb_record_downloads) and their segments (gb_download_segments).
import type { GbDownloadRow, GbDownloadState, GbRecordsRepo, NewGbDownload } from '../repos/gb-records';
import type { Db } from './db';
import { idList, ms } from './mapping';

interface DbRow {
  id: number;
  channel_id: number;
  device_gb_id: string;
  channel_gb_id: string;
  start_ms: number;
  end_ms: number;
  state: GbDownloadState;
  user_id: number | null;
  username: string | null;
  created_ms: number;
  finished_ms: number | null;
  received_ms: number;
  error_code: string | null;
}

const COLUMNS = 'id, channel_id, device_gb_id, channel_gb_id, start_ms, end_ms, state, user_id, username, created_ms, finished_ms, received_ms, error_code';

function toRow(r: DbRow): GbDownloadRow {
  return {
    id: r.id,
    channelId: r.channel_id,
    deviceGbId: r.device_gb_id,
    channelGbId: r.channel_gb_id,
    startMs: r.start_ms,
    endMs: r.end_ms,
    state: r.state,
    userId: r.user_id,
    username: r.username,
    createdMs: r.created_ms,
    finishedMs: r.finished_ms,
    receivedMs: r.received_ms,
    errorCode: r.error_code,
  };
}

export class SqliteGbRecordsRepo implements GbRecordsRepo {
  constructor(private readonly db: Db) {}

  async create(d: NewGbDownload, nowMs: number): Promise<GbDownloadRow> {
    const r = await this.db.get<DbRow>(
      `INSERT INTO gb_record_downloads (channel_id, device_gb_id, channel_gb_id, start_ms, end_ms, state, user_id, username, created_ms)
       VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?) RETURNING ${COLUMNS}`,
      [d.channelId, d.deviceGbId, d.channelGbId, ms(d.startMs), ms(d.endMs), d.userId, d.username, ms(nowMs)],
    );
    return toRow(r!);
  }

  async get(id: number): Promise<GbDownloadRow | null> {
    const r = await this.db.get<DbRow>(`SELECT ${COLUMNS} FROM gb_record_downloads WHERE id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  async listForChannel(channelId: number, startMs: number, endMs: number): Promise<GbDownloadRow[]> {
    const rows = await this.db.all<DbRow>(
      `SELECT ${COLUMNS} FROM gb_record_downloads WHERE channel_id = ? AND start_ms < ? AND end_ms > ? ORDER BY created_ms, id`,
      [channelId, ms(endMs), ms(startMs)],
    );
    return rows.map(toRow);
  }

  async addReceived(id: number, addMs: number): Promise<void> {
    await this.db.run('UPDATE gb_record_downloads SET received_ms = received_ms + ? WHERE id = ?', [ms(Math.max(0, addMs)), id]);
  }

  async finish(id: number, state: Exclude<GbDownloadState, 'running'>, errorCode: string | null, nowMs: number): Promise<void> {
    await this.db.run("UPDATE gb_record_downloads SET state = ?, error_code = ?, finished_ms = ? WHERE id = ? AND state = 'running'", [
      state,
      errorCode,
      ms(nowMs),
      id,
    ]);
  }

  async addSegment(downloadId: number, segmentId: number): Promise<void> {
    await this.db.run('INSERT OR IGNORE INTO gb_download_segments (segment_id, download_id) VALUES (?, ?)', [segmentId, downloadId]);
  }

  async segmentIds(downloadId: number): Promise<number[]> {
    const rows = await this.db.all<{ segment_id: number }>('SELECT segment_id FROM gb_download_segments WHERE download_id = ? ORDER BY segment_id', [
      downloadId,
    ]);
    return rows.map((r) => r.segment_id);
  }

  async fromDevice(segmentIds: readonly number[]): Promise<Set<number>> {
    if (segmentIds.length === 0) return new Set();
    const rows = await this.db.all<{ segment_id: number }>(
      'SELECT segment_id FROM gb_download_segments WHERE segment_id IN (SELECT value FROM json_each(?))',
      idList(segmentIds),
    );
    return new Set(rows.map((r) => r.segment_id));
  }

  async failRunning(errorCode: string, nowMs: number): Promise<number> {
    const r = await this.db.run("UPDATE gb_record_downloads SET state = 'failed', error_code = ?, finished_ms = ? WHERE state = 'running'", [
      errorCode,
      ms(nowMs),
    ]);
    return r.changes;
  }
}
