// Track playback on the Map tab's side panel: time range, slider, play/pause and speed, and the recorded video when there is one.
import type { TrackPointView } from '../../common/gps';
import { useI18n } from '../i18n/index';
import type { TrackClock } from './track-player';
import type { TrackVideoLink } from './track-video';
import { TrackVideoPanel } from './track-video-panel';

export interface LoadedTrack {
  unitId: number;
  points: TrackPointView[];
  clock: TrackClock;
}

export interface TrackPanelProps {
  unitName: string;
  range: { from: number; to: number };
  track: LoadedTrack | null;
  trackT: number;
  video: TrackVideoLink | null;
  videoPlaying: boolean;
  fmtTime: (ms: number) => string;
  onRange: (r: { from: number; to: number }) => void;
  onLoad: () => void;
  onTick: (tMs: number) => void;
}

const dtLocal = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function TrackPanel({ unitName, range, track, trackT, video, videoPlaying, fmtTime, onRange, onLoad, onTick }: TrackPanelProps) {
  const { t } = useI18n();
  return (
    <section class="track-panel">
      <h3>{t('gps.track.title', { unit: unitName })}</h3>
      <div class="row">
        <label>
          {t('gps.track.from')}{' '}
          <input
            type="datetime-local"
            value={dtLocal(range.from)}
            onChange={(e) => onRange({ ...range, from: new Date((e.target as HTMLInputElement).value).getTime() })}
          />
        </label>
        <label>
          {t('gps.track.to')}{' '}
          <input
            type="datetime-local"
            value={dtLocal(range.to)}
            onChange={(e) => onRange({ ...range, to: new Date((e.target as HTMLInputElement).value).getTime() })}
          />
        </label>
        <button type="button" class="small" onClick={onLoad}>
          {t('gps.track.load')}
        </button>
      </div>
      {track &&
        (track.points.length === 0 ? (
          <div class="hint">{t('gps.track.empty')}</div>
        ) : (
          <>
            <div class="hint track-count">{t('gps.track.points', { count: track.points.length })}</div>
            <input
              class="track-slider"
              type="range"
              aria-label={t('gps.track.time')}
              min={track.clock.startMs}
              max={track.clock.endMs}
              step={100}
              value={trackT}
              onInput={(e) => track.clock.seek(Number((e.target as HTMLInputElement).value))}
            />
            {video && video.unitId === track.unitId && (
              <section aria-label={t('gps.track.video')}>
                <TrackVideoPanel link={video} />
              </section>
            )}
            <div class="row">
              <button
                type="button"
                class="small track-play"
                onClick={() => (video ? video.toggle() : track.clock.playing ? track.clock.pause() : track.clock.play(), onTick(track.clock.tMs))}
              >
                {(video ? videoPlaying : track.clock.playing) ? t('gps.track.pause') : t('gps.track.play')}
              </button>
              <label>
                {t('gps.track.speed')}{' '}
                <select
                  class="track-speed"
                  value={String(track.clock.speed)}
                  onChange={(e) => {
                    const speed = Number((e.target as HTMLSelectElement).value);
                    if (video) video.setSpeed(speed);
                    else track.clock.speed = speed;
                  }}
                >
                  {[1, 2, 4, 8, 16, 60]
                    .filter((s) => !video || s <= 16)
                    .map((s) => (
                      <option value={s}>{s}×</option>
                    ))}
                </select>
              </label>
              <span class="track-time" data-t-ms={Math.round(trackT)}>
                {fmtTime(trackT)}
              </span>
            </div>
          </>
        ))}
    </section>
  );
}
