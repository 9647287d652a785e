// What a tile shows, from its player's phase and the source's liveness: the tile state (debug hook) and its status line.
import type { MessageKey } from '../i18n/index';
import type { Liveness } from '../state/sources';
import { codecLabel } from './codec-support';
import type { PlayerPhase } from './player';

/** The tile's state, also exposed as data-state for tests and diagnostics. */
export type TileState = 'idle' | 'connecting' | 'playing' | 'offline' | 'error' | 'unsupported';

export interface TileView {
  state: TileState;
  /** The status line at the bottom of the tile; null shows none. */
  line: MessageKey | null;
  /** Colour family of the status line: amber while (re)connecting, grey offline, red for errors. */
  tone: 'warn' | 'off' | 'bad' | null;
  /** Set instead of `line` when the stream cannot be shown at all: the message and its codec name ("H.265"). */
  unsupported?: { line: 'live.status.notRelayed' | 'live.status.noDecoder'; codec: string };
  /** Why an offline source is down (the server's status reason, e.g. the recorder's lastError): short on the tile, full in its tooltip. */
  reason?: { short: string; full: string };
}

/** Longest reason shown on the tile itself; the tooltip has the whole text. */
export const REASON_MAX_CHARS = 48;

/**
 * The reason without its trailing hint (" (check …)", Chinese "（请检查…）") or detail after ": " / "：", cut to
 * REASON_MAX_CHARS with an ellipsis. A clause is cut only after a few words (10 characters, 4 in Chinese).
 */
export function shortReason(full: string): string {
  let s = full.trim().replace(/\s+/g, ' ');
  const hint = s.endsWith(')') ? s.lastIndexOf(' (') : s.endsWith('）') ? s.lastIndexOf('（') : -1;
  const minClause = /[\u3000-\u9fff]/.test(s) ? 4 : 10;
  const cut = [hint, s.indexOf(': '), s.indexOf('：')].filter((i) => i >= minClause);
  if (cut.length > 0) s = s.slice(0, Math.min(...cut));
  return s.length > REASON_MAX_CHARS ? `${s.slice(0, REASON_MAX_CHARS - 1).trimEnd()}…` : s;
}

/** `reason`: the source's status reason from the server (camera or unit recorder's lastError), null when none; `disabled`: an admin turned the source off. */
export function tileView(hasSource: boolean, phase: PlayerPhase | null, liveness: Liveness, reason: string | null = null, disabled = false): TileView {
  if (!hasSource) return { state: 'idle', line: null, tone: null };
  // A source an admin turned off is not "offline": say that it is disabled (and that the reason is the setting).
  if (disabled && phase?.kind !== 'playing') return { state: 'offline', line: 'live.status.disabled', tone: 'off' };
  if (phase?.kind === 'forbidden') return { state: 'error', line: 'live.status.forbidden', tone: 'bad' };
  if (phase?.kind === 'gone') return { state: 'error', line: 'live.status.gone', tone: 'bad' };
  if (phase?.kind === 'unsupported') {
    const line = phase.reason.why === 'not-relayed' ? 'live.status.notRelayed' : 'live.status.noDecoder';
    return { state: 'unsupported', line: null, tone: 'off', unsupported: { line, codec: codecLabel(phase.reason.codec) } };
  }
  if (phase?.kind === 'playing') return { state: 'playing', line: null, tone: null };
  // The server says the source is down: say so rather than "reconnecting" (the player keeps trying behind it).
  if (liveness === false) {
    const why = reason?.trim();
    return why
      ? { state: 'offline', line: 'live.status.offline', tone: 'off', reason: { short: shortReason(why), full: why } }
      : { state: 'offline', line: 'live.status.offline', tone: 'off' };
  }
  if (phase?.kind === 'retrying' || (phase?.kind === 'connecting' && phase.attempt > 1))
    return { state: 'connecting', line: 'live.status.reconnecting', tone: 'warn' };
  return { state: 'connecting', line: 'live.status.connecting', tone: 'warn' };
}
