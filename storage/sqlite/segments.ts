// SQLite SegmentRepo: the recording index (one row per media file), tuned for per-camera time-range queries.
import type { NewSegment, SegmentRepo, SegmentRow } from '../repositories';
import type { Db, Params, SqlValue } from './db';
import { bool, fromBool, idList, ms, same, setClause, type ColumnMap } from './mapping';

/**
 * Longest segment the table accepts (end_ms - start_ms, enforced by a CHECK constraint). listRange relies on it:
 * a segment overlapping [t1, t2) must start at or after t1 - MAX_SEGMENT_MS, which bounds the index range scan.
 */
export const MAX_SEGMENT_MS = 3_600_000;

interface SegmentDbRow {
  id: number;
  camera_id: number;
  rel_path: string;
  start_ms: number;
  end_ms: number;
  duration_ms: number;
  size_bytes: number;
  video_codec: string | null;
  audio_codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  state: SegmentRow['state'];
  protected: number;
  recovered: number;
}

const COLUMNS = 'id, camera_id, rel_path, start_ms, end_ms, duration_ms, size_bytes, video_codec, audio_codec, width, height, fps, state, protected, recovered';

const INSERT_COLUMNS =
  'camera_id, rel_path, start_ms, end_ms, duration_ms, size_bytes, video_codec, audio_codec, width, height, fps, state, protected, recovered';

export const INSERT_SQL = `INSERT INTO segments (${INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Bulk insert: one bound parameter holding a JSON array of rows, each row an array in INSERT_COLUMNS order
 * (see insertParams). One statement execution inserts a whole chunk, which avoids one driver round trip (a thread
 * pool hop with the async sqlite3 driver) per row: about 3x faster than running INSERT_SQL per row. jsonb_each
 * (SQLite >= 3.45) hands each row over as binary JSON, so the 14 extractions do not re-parse text.
 */
export const INSERT_JSON_SQL = `INSERT INTO segments (${INSERT_COLUMNS})
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6,
         value->>7, value->>8, value->>9, value->>10, value->>11, value->>12, value->>13
  FROM jsonb_each(?)`;

/** Rows per execution of INSERT_JSON_SQL. */
const INSERT_CHUNK_ROWS = 5_000;

/**
 * Segments of one camera overlapping [t1, t2): start < t2 AND end > t1. The extra lower bound
 * start >= t1 - MAX_SEGMENT_MS is implied by the CHECK constraint and turns the scan of segments_camera_start
 * into a tight range. Parameters: cameraId, t1 - MAX_SEGMENT_MS, t2, t1, limit.
 */
export const LIST_RANGE_SQL = `SELECT ${COLUMNS} FROM segments
  WHERE camera_id = ? AND start_ms >= ? AND start_ms < ? AND end_ms > ?
  ORDER BY start_ms, id LIMIT ?`;

/**
 * LIST_RANGE_SQL with the rows packed into one JSON text by SQLite: the node driver then builds one string instead of
 * 1440 row objects, which is most of the cost of a "one camera, one day" query (see docs/storage.md).
 */
export const LIST_RANGE_JSON_SQL = `SELECT json_group_array(json_array(${COLUMNS})) AS j FROM (${LIST_RANGE_SQL})`;

type PackedRow = [
  number,
  number,
  string,
  number,
  number,
  number,
  number,
  string | null,
  string | null,
  number | null,
  number | null,
  number | null,
  SegmentRow['state'],
  number,
  number,
];

function unpack(r: PackedRow): SegmentRow {
  return {
    id: r[0],
    cameraId: r[1],
    relPath: r[2],
    startMs: r[3],
    endMs: r[4],
    durationMs: r[5],
    sizeBytes: r[6],
    videoCodec: r[7],
    audioCodec: r[8],
    width: r[9],
    height: r[10],
    fps: r[11],
    state: r[12],
    protected: r[13] === 1,
    recovered: r[14] === 1,
  };
}

export function listRangeParams(cameraId: number, startMs: number, endMs: number, limit: number): Params {
  return [cameraId, ms(startMs) - MAX_SEGMENT_MS, ms(endMs), ms(startMs), Math.max(0, Math.floor(limit))];
}

// The literal "state = 'closed' AND protected = 0" lets SQLite use the partial indexes segments_deletable_*.
const DELETABLE = "state = 'closed' AND protected = 0";

const PATCH: ColumnMap<Omit<SegmentRow, 'id' | 'cameraId' | 'relPath'>> = {
  startMs: { column: 'start_ms', toSql: ms },
  endMs: { column: 'end_ms', toSql: ms },
  durationMs: { column: 'duration_ms', toSql: ms },
  sizeBytes: { column: 'size_bytes', toSql: same },
  videoCodec: { column: 'video_codec', toSql: same },
  audioCodec: { column: 'audio_codec', toSql: same },
  width: { column: 'width', toSql: same },
  height: { column: 'height', toSql: same },
  fps: { column: 'fps', toSql: same },
  state: { column: 'state', toSql: same },
  protected: { column: 'protected', toSql: bool },
  recovered: { column: 'recovered', toSql: bool },
};

export function toSegmentRow(r: SegmentDbRow): SegmentRow {
  return {
    id: r.id,
    cameraId: r.camera_id,
    relPath: r.rel_path,
    startMs: r.start_ms,
    endMs: r.end_ms,
    durationMs: r.duration_ms,
    sizeBytes: r.size_bytes,
    videoCodec: r.video_codec,
    audioCodec: r.audio_codec,
    width: r.width,
    height: r.height,
    fps: r.fps,
    state: r.state,
    protected: fromBool(r.protected),
    recovered: fromBool(r.recovered),
  };
}

/** Parameters for INSERT_SQL, in column order. Millisecond fields are rounded to integers. */
export function insertParams(s: NewSegment): SqlValue[] {
  return [
    s.cameraId,
    s.relPath,
    ms(s.startMs),
    ms(s.endMs),
    ms(s.durationMs),
    s.sizeBytes,
    s.videoCodec,
    s.audioCodec,
    s.width,
    s.height,
    s.fps,
    s.state,
    bool(s.protected),
    bool(s.recovered),
  ];
}

/** The listOldestDeletable query; each filter combination is served by one of the partial indexes segments_deletable_*. */
export function oldestDeletableQuery(opts: { cameraId?: number; endBeforeMs?: number; limit: number }): { sql: string; params: SqlValue[] } {
  const where = [DELETABLE];
  const params: SqlValue[] = [];
  if (opts.cameraId !== undefined) {
    where.push('camera_id = ?');
    params.push(opts.cameraId);
  }
  if (opts.endBeforeMs !== undefined) {
    where.push('end_ms < ?');
    params.push(ms(opts.endBeforeMs));
  }
  params.push(Math.max(0, Math.floor(opts.limit)));
  return { sql: `SELECT ${COLUMNS} FROM segments WHERE ${where.join(' AND ')} ORDER BY end_ms, id LIMIT ?`, params };
}

export class SqliteSegmentRepo implements SegmentRepo {
  constructor(private readonly db: Db) {}

  async insert(seg: NewSegment): Promise<SegmentRow> {
    const res = await this.db.run(INSERT_SQL, insertParams(seg));
    return {
      id: res.lastId,
      cameraId: seg.cameraId,
      relPath: seg.relPath,
      startMs: ms(seg.startMs),
      endMs: ms(seg.endMs),
      durationMs: ms(seg.durationMs),
      sizeBytes: seg.sizeBytes,
      videoCodec: seg.videoCodec,
      audioCodec: seg.audioCodec,
      width: seg.width,
      height: seg.height,
      fps: seg.fps,
      state: seg.state,
      protected: seg.protected,
      recovered: seg.recovered,
    };
  }

  async insertMany(segs: NewSegment[]): Promise<void> {
    if (segs.length === 0) return;
    await this.db.transaction(async (tx) => {
      const stmt = await tx.prepare(INSERT_JSON_SQL);
      const chunkJson = (i: number) => JSON.stringify(segs.slice(i, i + INSERT_CHUNK_ROWS).map(insertParams));
      // Pipelined: while SQLite inserts chunk n on a libuv thread, the main thread serializes chunk n + 1.
      let running: Promise<unknown> | null = null;
      try {
        for (let i = 0; i < segs.length; i += INSERT_CHUNK_ROWS) {
          const json = chunkJson(i);
          if (running) await running;
          running = stmt.run([json]);
        }
        await running;
        running = null;
      } finally {
        if (running) await running.catch(() => undefined);
        await stmt.finalize();
      }
    });
  }

  async update(id: number, patch: Partial<Omit<SegmentRow, 'id' | 'cameraId' | 'relPath'>>): Promise<void> {
    const set = setClause(patch, PATCH);
    if (!set.sql) return;
    await this.db.run(`UPDATE segments SET ${set.sql} WHERE id = ?`, [...set.params, id]);
  }

  async get(id: number): Promise<SegmentRow | null> {
    const r = await this.db.get<SegmentDbRow>(`SELECT ${COLUMNS} FROM segments WHERE id = ?`, [id]);
    return r ? toSegmentRow(r) : null;
  }

  async getByPath(relPath: string): Promise<SegmentRow | null> {
    const r = await this.db.get<SegmentDbRow>(`SELECT ${COLUMNS} FROM segments WHERE rel_path = ?`, [relPath]);
    return r ? toSegmentRow(r) : null;
  }

  async listRange(cameraId: number, startMs: number, endMs: number, limit: number): Promise<SegmentRow[]> {
    if (!(endMs > startMs) || limit <= 0) return [];
    const row = await this.db.get<{ j: string }>(LIST_RANGE_JSON_SQL, listRangeParams(cameraId, startMs, endMs, limit));
    return row ? (JSON.parse(row.j) as PackedRow[]).map(unpack) : [];
  }

  async listWriting(): Promise<SegmentRow[]> {
    const rows = await this.db.all<SegmentDbRow>(`SELECT ${COLUMNS} FROM segments WHERE state = 'writing' ORDER BY camera_id, start_ms, id`);
    return rows.map(toSegmentRow);
  }

  async listPaths(cameraId: number): Promise<Set<string>> {
    const rows = await this.db.all<{ rel_path: string }>('SELECT rel_path FROM segments WHERE camera_id = ?', [cameraId]);
    return new Set(rows.map((r) => r.rel_path));
  }

  async listCameraIds(): Promise<number[]> {
    // A skip-scan over the (camera_id, start_ms) index: one seek per camera, not a scan of every row.
    const ids: number[] = [];
    let last = -1;
    for (;;) {
      const r = await this.db.get<{ camera_id: number }>('SELECT camera_id FROM segments WHERE camera_id > ? ORDER BY camera_id LIMIT 1', [last]);
      if (!r) return ids;
      ids.push(r.camera_id);
      last = r.camera_id;
    }
  }

  async listOldestDeletable(opts: { cameraId?: number; endBeforeMs?: number; limit: number }): Promise<SegmentRow[]> {
    if (opts.limit <= 0) return [];
    const q = oldestDeletableQuery(opts);
    return (await this.db.all<SegmentDbRow>(q.sql, q.params)).map(toSegmentRow);
  }

  async deleteByIds(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.run('DELETE FROM segments WHERE id IN (SELECT value FROM json_each(?))', idList(ids));
  }

  async totalBytes(): Promise<number> {
    // segment_totals is kept up to date by triggers on segments (summing 2.7M rows would take a full scan).
    const r = await this.db.get<{ total: number }>('SELECT coalesce(sum(size_bytes), 0) AS total FROM segment_totals');
    return r?.total ?? 0;
  }

  async setProtected(ids: number[], value: boolean): Promise<void> {
    if (ids.length === 0) return;
    await this.db.run('UPDATE segments SET protected = ? WHERE id IN (SELECT value FROM json_each(?))', [bool(value), ...idList(ids)]);
  }
}
