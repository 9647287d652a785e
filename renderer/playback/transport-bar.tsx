// The playback transport: play/pause, frame step, previous/next event, speed, the clock, go-to time and timeline zoom.
import { fromDateTimeLocalValue } from '../format';
import { useI18n, type Translate } from '../i18n/index';
import { playbackClockLabel, playbackClockParts } from './clock-label';
import type { SyncSession } from './sync-player';
import { FrameBackIcon, FrameForwardIcon, NextEventIcon, PauseIcon, PlayIcon, PrevEventIcon, ZoomInIcon, ZoomOutIcon } from './transport-icons';
import { SPEEDS } from './wall-map';

function spanLabel(t: Translate, ms: number): string {
  if (ms >= 86_400_000) return t('investigation.span.days', { n: Math.round(ms / 86_400_000) });
  if (ms >= 3_600_000) return t('investigation.span.hours', { n: Math.round(ms / 3_600_000) });
  return t('investigation.span.minutes', { n: Math.round(ms / 60_000) });
}

export interface TransportBarProps {
  session: SyncSession;
  nowMs: number;
  spanMs: number;
  gotoValue: string;
  onGotoValue(value: string): void;
  onTogglePlay(): void;
  onStep(dir: 1 | -1): void;
  onJumpEvent(dir: 1 | -1): void;
  onSeek(ms: number): void;
  /** Zooms one step (factor > 1: out) around a time. */
  onZoom(factor: number, aroundMs: number): void;
}

export function TransportBar({ session, nowMs, spanMs, gotoValue, onGotoValue, onTogglePlay, onStep, onJumpEvent, onSeek, onZoom }: TransportBarProps) {
  const { t } = useI18n();
  const clock = playbackClockParts(nowMs);
  return (
    <div class="pb-toolbar">
      <button
        type="button"
        class="primary pb-play icon-btn"
        name="play"
        onClick={onTogglePlay}
        title={session.clock.paused ? t('investigation.play') : t('investigation.pause')}
        aria-label={session.clock.paused ? t('investigation.play') : t('investigation.pause')}
      >
        {session.clock.paused ? <PlayIcon /> : <PauseIcon />}
      </button>
      <button
        type="button"
        class="icon-btn"
        name="frame-back"
        onClick={() => onStep(-1)}
        title={t('investigation.frameBack')}
        aria-label={t('investigation.frameBack')}
      >
        <FrameBackIcon />
      </button>
      <button
        type="button"
        class="icon-btn"
        name="frame-forward"
        onClick={() => onStep(1)}
        title={t('investigation.frameForward')}
        aria-label={t('investigation.frameForward')}
      >
        <FrameForwardIcon />
      </button>
      <button
        type="button"
        class="icon-btn"
        name="prev-event"
        onClick={() => onJumpEvent(-1)}
        title={t('investigation.prevEvent')}
        aria-label={t('investigation.prevEvent')}
      >
        <PrevEventIcon />
      </button>
      <button
        type="button"
        class="icon-btn"
        name="next-event"
        onClick={() => onJumpEvent(1)}
        title={t('investigation.nextEvent')}
        aria-label={t('investigation.nextEvent')}
      >
        <NextEventIcon />
      </button>
      <label class="pb-speed">
        {t('investigation.speed')}{' '}
        <select
          name="speed"
          value={String(session.clock.speed)}
          onChange={(e) => {
            session.clock.setSpeed(Number(e.currentTarget.value));
            session.tick();
          }}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s < 1 ? `1/${1 / s}` : s}x
            </option>
          ))}
        </select>
      </label>
      <span class="pb-now" data-now-ms={Math.round(nowMs)} title={playbackClockLabel(nowMs)}>
        {clock.base}
        {clock.zone ? <span class="pb-zone"> ({clock.zone})</span> : null}
      </span>
      <form
        class="pb-goto"
        onSubmit={(e) => {
          e.preventDefault();
          const ms = fromDateTimeLocalValue(gotoValue);
          if (ms !== null) onSeek(ms);
        }}
      >
        <input type="datetime-local" step="1" name="goto" value={gotoValue} onInput={(e) => onGotoValue(e.currentTarget.value)} />
        <button type="submit">{t('investigation.goto')}</button>
      </form>
      <button
        type="button"
        class="icon-btn"
        name="zoom-in"
        onClick={() => onZoom(0.5, nowMs)}
        title={t('investigation.zoomIn')}
        aria-label={t('investigation.zoomIn')}
      >
        <ZoomInIcon />
      </button>
      <button
        type="button"
        class="icon-btn"
        name="zoom-out"
        onClick={() => onZoom(2, nowMs)}
        title={t('investigation.zoomOut')}
        aria-label={t('investigation.zoomOut')}
      >
        <ZoomOutIcon />
      </button>
      <span class="muted pb-span">{t('investigation.span', { span: spanLabel(t, spanMs) })}</span>
    </div>
  );
}
