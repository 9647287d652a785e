// MANSRTSP (GB/T 28181 annex B) bodies of the in-dialog INFO that controls a playback: play, pause, seek, speed, teardown, with the dialog's CSeq.
import { assertNever } from '../../../common/events';

export type PlaybackCommand =
  | { kind: 'play' }
  | { kind: 'pause' }
  /** Seek: play from `offsetS` seconds after the start of the playback range. */
  | { kind: 'seek'; offsetS: number }
  /** Speed: 0.25 ... 8 (negative plays backwards on devices that can). */
  | { kind: 'scale'; scale: number }
  | { kind: 'teardown' };

/** The speeds devices accept (GB/T 28181 B.2: 0.25, 0.5, 1, 2, 4; many accept 8). */
export const PLAYBACK_SCALES = [0.25, 0.5, 1, 2, 4, 8] as const;

/** Scale as devices parse it: always with a decimal point ("1.0", "0.25", "2.0"). */
export function formatScale(scale: number): string {
  return Number.isInteger(scale) ? scale.toFixed(1) : String(scale);
}

/** One MANSRTSP request body (CRLF lines, ending with an empty line). */
export function mansrtsp(cmd: PlaybackCommand, cseq: number): string {
  const lines: string[] = [];
  switch (cmd.kind) {
    case 'play':
      lines.push('PLAY MANSRTSP/1.0', `CSeq: ${cseq}`, 'Range: npt=now-');
      break;
    case 'pause':
      lines.push('PAUSE MANSRTSP/1.0', `CSeq: ${cseq}`, 'PauseTime: now');
      break;
    case 'seek':
      lines.push('PLAY MANSRTSP/1.0', `CSeq: ${cseq}`, `Range: npt=${Math.max(0, Math.floor(cmd.offsetS))}-`);
      break;
    case 'scale':
      lines.push('PLAY MANSRTSP/1.0', `CSeq: ${cseq}`, `Scale: ${formatScale(cmd.scale)}`);
      break;
    case 'teardown':
      lines.push('TEARDOWN MANSRTSP/1.0', `CSeq: ${cseq}`);
      break;
    default:
      return assertNever(cmd);
  }
  return lines.join('\r\n') + '\r\n\r\n';
}

/** A parsed MANSRTSP request (what a device, or the simulator, reads from the INFO body). */
export interface MansrtspRequest {
  method: string;
  cseq: number | null;
  /** npt start in seconds, 'now', or null without Range. */
  rangeStart: number | 'now' | null;
  scale: number | null;
}

/** Parses a MANSRTSP request body; null when the first line is not `<METHOD> MANSRTSP/1.0`. */
export function parseMansrtsp(body: string): MansrtspRequest | null {
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  const first = /^([A-Z]+)\s+MANSRTSP\/1\.0$/i.exec(lines[0] ?? '');
  if (!first) return null;
  const header = (name: string): string | null => {
    const l = lines.find((x) => x.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return l === undefined ? null : l.slice(name.length + 1).trim();
  };
  const cseq = header('CSeq');
  const range = header('Range');
  const scale = header('Scale');
  let rangeStart: number | 'now' | null = null;
  const npt = range === null ? null : /^npt\s*=\s*(now|[\d.]+)\s*-/i.exec(range);
  if (npt) rangeStart = npt[1]!.toLowerCase() === 'now' ? 'now' : Number(npt[1]);
  return {
    method: first[1]!.toUpperCase(),
    cseq: cseq !== null && /^\d+$/.test(cseq) ? Number(cseq) : null,
    rangeStart,
    scale: scale !== null && Number.isFinite(Number(scale)) ? Number(scale) : null,
  };
}
