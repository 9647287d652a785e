// Camera detail: settings and live status, and its recordings of the last 24 hours (kept current by segment.closed).
import { useEffect, useState } from 'preact/hooks';
import type { Camera, Segment } from '../../common/api';
import { ErrorBanner } from '../components/error-banner';
import { StatusBadge } from '../components/status-dot';
import { displayUrl, formatBitrate, formatBytes, formatDateTime, formatDuration, formatFps } from '../format';
import { useI18n } from '../i18n/index';
import { transportKey } from '../labels';
import { useServices } from '../services';
import { OnvifCameraInfo } from './onvif-camera-info';
import { statusReason } from '../i18n/server-messages';

const WINDOW_MS = 24 * 3600_000;
/** The server's maximum page; more segments than this in 24 h (2-second segments) are reported as truncated. */
const FETCH_LIMIT = 10_000;
/** Rows rendered at most; the summary still counts all. */
const SHOW_ROWS = 500;

/** Merges segments by id (newer copy wins), drops ones that ended before `sinceMs`, newest first. */
export function mergeSegments(current: readonly Segment[], incoming: readonly Segment[], sinceMs: number): Segment[] {
  const byId = new Map(current.map((s) => [s.id, s]));
  for (const s of incoming) byId.set(s.id, s);
  return [...byId.values()].filter((s) => s.endMs >= sinceMs).sort((a, b) => b.startMs - a.startMs || b.id - a.id);
}

/** Segments of the last 24 h; the owner remounts per camera (key={camera.id}). */
function useRecentSegments(cameraId: number) {
  const { api, events } = useServices();
  const [segments, setSegments] = useState<Segment[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [reloadCount, setReloadCount] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const nowMs = Date.now();
    setError(null);
    api
      .listSegments({ cameraId, startMs: nowMs - WINDOW_MS, endMs: nowMs + 60_000, limit: FETCH_LIMIT })
      .then((list) => {
        if (cancelled) return;
        setTruncated(list.length >= FETCH_LIMIT);
        setSegments((old) => mergeSegments(old ?? [], list, Date.now() - WINDOW_MS));
      })
      .catch((err) => !cancelled && setError(err));
    const unsub = events.subscribe((ev) => {
      if (ev.type === 'segment.closed' && ev.segment.cameraId === cameraId)
        setSegments((old) => mergeSegments(old ?? [], [ev.segment], Date.now() - WINDOW_MS));
      else if (ev.type === 'retention.deleted' && ev.cameraId === cameraId) setReloadCount((n) => n + 1);
      else if (ev.type === 'hello') setReloadCount((n) => n + 1); // reconnected: segments may have closed meanwhile
    });
    return () => {
      cancelled = true;
      unsub();
    };
  }, [cameraId, reloadCount]);

  return { segments, truncated, error, reload: () => setReloadCount((n) => n + 1) };
}

function SegmentTable({ segments }: { segments: readonly Segment[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <div class="table-scroll">
      <table class="data-table segments-table">
        <thead>
          <tr>
            <th>{t('seg.col.start')}</th>
            <th>{t('seg.col.end')}</th>
            <th class="num">{t('seg.col.duration')}</th>
            <th class="num">{t('seg.col.size')}</th>
            <th>{t('seg.col.resolution')}</th>
            <th class="num">{t('seg.col.fps')}</th>
            <th>{t('seg.col.codec')}</th>
          </tr>
        </thead>
        <tbody>
          {segments.slice(0, SHOW_ROWS).map((s) => (
            <tr key={s.id} data-segment-id={s.id}>
              <td class="mono">{formatDateTime(s.startMs)}</td>
              <td class="mono">
                {formatDateTime(s.endMs)}
                {s.state === 'writing' ? <span class="tag tone-warn">{t('seg.writing')}</span> : null}
                {s.recovered ? <span class="tag">{t('seg.recovered')}</span> : null}
                {s.protected ? <span class="tag tone-bad">{t('seg.protected')}</span> : null}
              </td>
              <td class="num">{formatDuration(i18n, s.durationMs)}</td>
              <td class="num">{formatBytes(i18n, s.sizeBytes)}</td>
              <td>{s.width && s.height ? t('unit.resolution', { width: s.width, height: s.height }) : t('common.none')}</td>
              <td class="num">{formatFps(i18n, s.fps)}</td>
              <td>{[s.videoCodec, s.audioCodec].filter(Boolean).join(' / ') || t('common.none')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CameraDetail({ camera, onClose }: { camera: Camera; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { segments, truncated, error, reload } = useRecentSegments(camera.id);
  const st = camera.status;
  const totalBytes = segments?.reduce((n, s) => n + s.sizeBytes, 0) ?? 0;
  const totalMs = segments?.reduce((n, s) => n + s.durationMs, 0) ?? 0;

  return (
    <section class="camera-detail panel" aria-label={t('detail.title', { name: camera.name })} data-camera-id={camera.id}>
      <header class="panel-header">
        <h3>{t('detail.title', { name: camera.name })}</h3>
        <StatusBadge state={st.state} />
        <div class="grow" />
        <button type="button" class="icon-button" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <dl class="facts">
        <dt>{t('detail.status')}</dt>
        <dd>
          {t('detail.since', { time: formatDateTime(st.sinceMs) })}
          {st.state === 'recording' ? ` · ${formatBitrate(i18n, st.bitrateBps)}` : ''}
          {st.failures > 0 ? ` · ${t('detail.failures', { count: st.failures })}` : ''}
          {st.nextRetryMs ? ` · ${t('detail.nextRetry', { time: formatDateTime(st.nextRetryMs) })}` : ''}
        </dd>
        {st.lastError ? (
          <>
            <dt>{t('detail.lastError')}</dt>
            <dd class="error-text">{statusReason(i18n.lang, st.reason, st.lastError)}</dd>
          </>
        ) : null}
        <dt>{t('detail.url')}</dt>
        <dd class="mono">
          {displayUrl(camera.url)} ({t(transportKey(camera.transport))})
        </dd>
        {camera.subUrl ? (
          <>
            <dt>{t('detail.subUrl')}</dt>
            <dd class="mono">{displayUrl(camera.subUrl)}</dd>
          </>
        ) : null}
        <dt>{t('cameras.col.group')}</dt>
        <dd>{camera.groupName ?? t('tree.ungrouped')}</dd>
        <dt>{t('detail.credentials')}</dt>
        <dd>
          {camera.username || camera.hasPassword
            ? t('detail.credentials.value', {
                user: camera.username ?? t('common.none'),
                password: camera.hasPassword ? t('detail.passwordSet') : t('detail.passwordUnset'),
              })
            : t('detail.credentials.none')}
        </dd>
        {camera.description ? (
          <>
            <dt>{t('detail.description')}</dt>
            <dd>{camera.description}</dd>
          </>
        ) : null}
        <dt>{t('detail.updated')}</dt>
        <dd>{formatDateTime(camera.updatedMs)}</dd>
        <OnvifCameraInfo cameraId={camera.id} />
      </dl>
      <header class="panel-subheader">
        <h4>{t('detail.segments')}</h4>
        {segments && segments.length > 0 ? (
          <span class="muted">
            {t('detail.segments.summary', { count: segments.length, size: formatBytes(i18n, totalBytes), duration: formatDuration(i18n, totalMs) })}
          </span>
        ) : null}
        <div class="grow" />
        <button type="button" onClick={reload}>
          {t('common.refresh')}
        </button>
      </header>
      {error ? <ErrorBanner error={error} /> : null}
      {segments === null && !error ? <p class="muted">{t('common.loading')}</p> : null}
      {segments && segments.length === 0 ? <p class="muted empty">{t('detail.segments.empty')}</p> : null}
      {segments && segments.length > 0 ? <SegmentTable segments={segments} /> : null}
      {truncated || (segments && segments.length > SHOW_ROWS) ? (
        <p class="muted">{t('detail.segments.truncated', { count: Math.min(SHOW_ROWS, segments?.length ?? 0) })}</p>
      ) : null}
    </section>
  );
}
