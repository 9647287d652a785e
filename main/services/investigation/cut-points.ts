// Where an export piece really starts and ends, from a segment's frame index: the keyframe at or before the requested start (stream copy) and the true first/last frame times.
import type { TsIndex } from './ts-index';

/** Below one frame interval: an inpoint this far before a keyframe's DTS makes the concat demuxer's seek land on it. */
const SEEK_MARGIN_S = 0.0005;

export interface FrameTimes {
  /** Wall time of the first frame shown (ms). */
  firstFrameMs: number;
  /** Wall time of the last frame shown (ms) and the end of its display (ms). */
  lastFrameMs: number;
  endMs: number;
}

/** Typical frame interval of the file (s). */
function frameS(idx: TsIndex): number {
  const frames = idx.frames ?? [];
  const maxPts = frames.reduce((m, f) => Math.max(m, f.ptsS), 0);
  return Math.max(0.001, idx.durationS - maxPts);
}

/**
 * Stream-copy start inside a segment: the keyframe at or before relStartS (s from the segment's first frame). Returns
 * the concat demuxer's inpoint (file timestamps: the demuxer seeks by DTS, to the first packet at or after it, and
 * ffmpeg drops packets until a keyframe) and that keyframe's wall time.
 */
export function copyStart(idx: TsIndex, segStartMs: number, relStartS: number): { inpointS: number; firstFrameMs: number } {
  const kfs = idx.keyframes;
  if (kfs.length === 0) throw new Error('segment has no keyframe');
  let kf = kfs[0]!;
  for (const k of kfs) if (k.ptsS <= relStartS + 1e-6) kf = k;
  return { inpointS: idx.firstPtsS + kf.dtsS - SEEK_MARGIN_S, firstFrameMs: segStartMs + kf.ptsS * 1000 };
}

/** The first keyframe of a segment taken whole (ffmpeg starts a stream copy there). */
export function firstKeyframeMs(idx: TsIndex, segStartMs: number): number {
  const kf = idx.keyframes[0];
  if (!kf) throw new Error('segment has no keyframe');
  return segStartMs + kf.ptsS * 1000;
}

/**
 * Stream-copy end inside a segment (needs `frames`). The concat demuxer's outpoint drops packets whose DTS is at or
 * after it, i.e. it keeps a prefix of the decode order. With B-frames a prefix can hold a reference frame shown after
 * frames it lacks (a hole); so the outpoint is placed at the shortest prefix that holds every frame shown before
 * relEndS (s from the segment's first frame; undefined: to the end) and no hole. The last frame shown is then at or
 * up to a few frames after relEndS, never before the last frame asked for.
 */
export function copyEnd(
  idx: TsIndex,
  segStartMs: number,
  relEndS: number | undefined,
  fromDtsS = -Infinity,
): { outpointS?: number; lastFrameMs: number; endMs: number } {
  const frames = (idx.frames ?? []).filter((f) => f.dtsS >= fromDtsS - 1e-6);
  if (frames.length === 0) throw new Error('no frame after the start point');
  let keep = frames.length;
  if (relEndS !== undefined) {
    let need = 0;
    frames.forEach((f, i) => {
      if (f.ptsS < relEndS - 1e-6) need = i;
    });
    const sorted = frames.map((f) => f.ptsS).sort((a, b) => a - b);
    let maxPts = -Infinity;
    for (let i = 0; i < frames.length; i++) {
      maxPts = Math.max(maxPts, frames[i]!.ptsS);
      // The prefix 0..i is hole-free when its latest frame is also the (i+1)-th earliest of the file.
      if (i >= need && sorted[i] === maxPts) {
        keep = i + 1;
        break;
      }
    }
  }
  const lastS = frames.slice(0, keep).reduce((m, f) => Math.max(m, f.ptsS), -Infinity);
  return {
    ...(keep < frames.length ? { outpointS: idx.firstPtsS + frames[keep]!.dtsS - SEEK_MARGIN_S } : {}),
    lastFrameMs: segStartMs + lastS * 1000,
    endMs: segStartMs + (lastS + frameS(idx)) * 1000,
  };
}

/** Frame-exact cut (re-encode): the first frame at or after relStartS and the last one before relEndS. */
export function exactFrames(first: TsIndex, firstSegStartMs: number, relStartS: number, last: TsIndex, lastSegStartMs: number, relEndS: number): FrameTimes {
  const a = (first.frames ?? []).map((f) => f.ptsS).filter((p) => p >= relStartS - 1e-6);
  const b = (last.frames ?? []).map((f) => f.ptsS).filter((p) => p < relEndS - 1e-6);
  if (a.length === 0 || b.length === 0) throw new Error('no frame inside the cut');
  const lastS = Math.max(...b);
  return {
    firstFrameMs: firstSegStartMs + Math.min(...a) * 1000,
    lastFrameMs: lastSegStartMs + lastS * 1000,
    endMs: lastSegStartMs + (lastS + frameS(last)) * 1000,
  };
}
