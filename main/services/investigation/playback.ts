// VOD playback from the segment index: keyframe-indexed byte-range pieces of the MPEG-TS segments, an HLS playlist built on the fly, and the piece endpoint.
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { API_PREFIX } from '../../../common/api';
import type { PlaybackMap, PlaybackPiece } from '../../../common/investigation';
import type { SegmentRow } from '../../../storage/repositories';
import { indexTsFile, type TsIndex } from './ts-index';
import type { InvestigationContext } from './context';

/** Longest window one playlist covers (the console reloads the next window while playing). */
export const MAX_WINDOW_MS = 15 * 60_000;
/** Pieces start on keyframes at least this far apart (a seek fetches at most about this much media). */
export const PIECE_TARGET_S = 2;
export const PLAYBACK_PREFIX = `${API_PREFIX}/playback/`;

interface Cached {
  sizeBytes: number;
  mtimeMs: number;
  index: TsIndex;
}

export interface PieceRef extends PlaybackPiece {
  byteStart: number;
  byteEnd: number;
}

export class PlaybackIndex {
  private readonly cache = new Map<number, Cached>();
  private readonly pending = new Map<number, Promise<TsIndex>>();

  constructor(
    private readonly store: InvestigationContext['store'],
    private readonly recordingsDir: string,
    private readonly maxEntries = 2048,
  ) {}

  filePath(relPath: string): string {
    return path.join(this.recordingsDir, ...relPath.split('/'));
  }

  /**
   * The keyframe index of a segment (cached by size and mtime). For a segment being written, a cached index that
   * already covers `needBytes` is good enough (the file only grows).
   */
  async indexOf(seg: SegmentRow, needBytes?: number): Promise<TsIndex> {
    const file = this.filePath(seg.relPath);
    const st = await fs.promises.stat(file);
    const hit = this.cache.get(seg.id);
    const grown = seg.state === 'writing' && needBytes !== undefined && hit !== undefined && hit.sizeBytes >= needBytes;
    if (hit && ((hit.sizeBytes === st.size && hit.mtimeMs === st.mtimeMs) || grown)) {
      this.cache.delete(seg.id);
      this.cache.set(seg.id, hit); // LRU order
      return hit.index;
    }
    let p = this.pending.get(seg.id);
    if (!p) {
      p = indexTsFile(file).finally(() => this.pending.delete(seg.id));
      this.pending.set(seg.id, p);
    }
    const index = await p;
    this.cache.set(seg.id, { sizeBytes: st.size, mtimeMs: st.mtimeMs, index });
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return index;
  }

  /** The pieces of one camera's closed segments overlapping [startMs, endMs) (window capped at MAX_WINDOW_MS). */
  async pieces(cameraId: number, startMs: number, endMs: number): Promise<PieceRef[]> {
    return (await this.window(cameraId, startMs, endMs)).pieces;
  }

  /**
   * The pieces of [startMs, endMs) (capped at MAX_WINDOW_MS): closed segments, and the segment being written up to its
   * last keyframe (MPEG-TS flushed per packet: everything before that keyframe is on disk and decodes). `live` when the
   * window holds that segment: the playlist then grows (an HLS EVENT playlist) and the console refreshes its map.
   */
  async window(cameraId: number, startMs: number, endMs: number): Promise<{ pieces: PieceRef[]; live: boolean }> {
    const end = Math.min(endMs, startMs + MAX_WINDOW_MS);
    const ranged = (await this.store.segments.listRange(cameraId, startMs, end, 200)).filter((s) => s.state === 'closed');
    // A row being written has no end yet (its end_ms is its start): it is looked up on its own.
    const writing = (await this.store.segments.listWriting()).filter((s) => s.cameraId === cameraId && s.startMs < end);
    const segs = [...ranged, ...writing].sort((a, b) => a.startMs - b.startMs);
    const out: PieceRef[] = [];
    let mediaS = 0;
    let prev: { seg: SegmentRow; idx: TsIndex } | null = null;
    for (const seg of segs) {
      let idx: TsIndex;
      try {
        idx = await this.indexOf(seg);
      } catch {
        continue; // deleted meanwhile or unreadable: a gap
      }
      const kfs = idx.keyframes;
      if (kfs.length === 0) continue;
      // Choose piece starts: keyframes at least PIECE_TARGET_S apart.
      const starts: number[] = [0];
      for (let i = 1; i < kfs.length; i++) if (kfs[i]!.ptsS - kfs[starts[starts.length - 1]!]!.ptsS >= PIECE_TARGET_S - 1e-6) starts.push(i);
      const continuous =
        prev !== null && Math.abs(seg.startMs - prev.seg.endMs) <= 1500 && Math.abs(idx.firstPtsS - (prev.idx.firstPtsS + prev.idx.durationS)) <= 0.5;
      let first = true;
      for (let k = 0; k < starts.length; k++) {
        const a = kfs[starts[k]!]!;
        const b = k + 1 < starts.length ? kfs[starts[k + 1]!]! : null;
        if (!b && seg.state === 'writing') break; // the open tail: not complete yet
        const pieceEndS = b ? b.ptsS : idx.durationS;
        const wallMs = seg.startMs + a.ptsS * 1000;
        const wallEndMs = seg.startMs + pieceEndS * 1000;
        if (wallEndMs <= startMs || wallMs >= end) continue;
        const durationS = Math.max(0.001, pieceEndS - a.ptsS);
        out.push({
          segmentId: seg.id,
          wallMs: Math.round(wallMs),
          mediaS: Math.round(mediaS * 1e6) / 1e6,
          durationS: Math.round(durationS * 1e6) / 1e6,
          discontinuity: out.length === 0 || (first && !continuous),
          videoCodec: seg.videoCodec,
          byteStart: a.offset,
          byteEnd: b ? b.offset : idx.sizeBytes,
        });
        mediaS += durationS;
        first = false;
      }
      prev = { seg, idx };
    }
    return { pieces: out, live: writing.length > 0 };
  }

  async map(cameraId: number, startMs: number, endMs: number): Promise<PlaybackMap> {
    const { pieces, live } = await this.window(cameraId, startMs, endMs);
    return {
      cameraId,
      startMs,
      endMs: Math.min(endMs, startMs + MAX_WINDOW_MS),
      live,
      pieces: pieces.map(({ byteStart: _a, byteEnd: _b, ...p }) => p),
      playlist: `${PLAYBACK_PREFIX}${cameraId}.m3u8?startMs=${startMs}&endMs=${Math.min(endMs, startMs + MAX_WINDOW_MS)}`,
    };
  }
}

/**
 * The HLS playlist of the pieces; piece URLs carry a signed playback link (`sig`, playback-token.ts; never the session token). VOD, or with `live` (the window holds the
 * segment being written) an EVENT playlist without an end: the player reloads it and plays on into new pieces.
 */
export function playlistText(cameraId: number, pieces: PieceRef[], sig: string, live = false): string {
  const target = Math.max(1, Math.ceil(Math.max(0, ...pieces.map((p) => p.durationS))));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-PLAYLIST-TYPE:${live ? 'EVENT' : 'VOD'}`, `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0'];
  const q = `?sig=${encodeURIComponent(sig)}&cam=${cameraId}`;
  for (const p of pieces) {
    if (p.discontinuity && lines.length > 5) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(p.wallMs).toISOString()}`);
    lines.push(`#EXTINF:${p.durationS.toFixed(6)},`);
    lines.push(`${PLAYBACK_PREFIX}piece/${p.segmentId}/${p.byteStart}-${p.byteEnd}.ts${q}`);
  }
  if (!live) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}

/** Streams PAT+PMT then bytes [start, end) of the segment file. */
export async function sendPiece(res: http.ServerResponse, file: string, index: TsIndex, start: number, end: number): Promise<void> {
  const s = Math.max(0, Math.min(start, index.sizeBytes));
  const e = Math.max(s, Math.min(end, index.sizeBytes));
  res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Content-Length': String(index.header.length + (e - s)), 'Cache-Control': 'private, max-age=3600' });
  res.write(index.header);
  if (e === s) return void res.end();
  await new Promise<void>((resolve, reject) => {
    const rs = fs.createReadStream(file, { start: s, end: e - 1 });
    rs.on('error', reject);
    res.on('close', () => {
      rs.destroy();
      resolve();
    });
    rs.on('end', resolve);
    rs.pipe(res);
  });
}
