// PTZ pad on the maximized tile: 8 directions with speed, zoom (buttons, wheel, +/-), arrow keys, home, presets, tours, control holder, clock flag.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { OnvifHealth, PtzMoveRequest, PtzState } from '../../common/onvif';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/index';
import { useCan } from '../rights';
import { useServices } from '../services';
import { keyDirection, onvifApi, padVector, ptzApi } from './ptz-api';

const DIRS: Array<{ key: string; x: number; y: number; label: Parameters<ReturnType<typeof useI18n>['t']>[0]; glyph: string }> = [
  { key: 'ul', x: -1, y: 1, label: 'onvif.ptz.upLeft', glyph: '↖' },
  { key: 'u', x: 0, y: 1, label: 'onvif.ptz.up', glyph: '↑' },
  { key: 'ur', x: 1, y: 1, label: 'onvif.ptz.upRight', glyph: '↗' },
  { key: 'l', x: -1, y: 0, label: 'onvif.ptz.left', glyph: '←' },
  { key: 'home', x: 0, y: 0, label: 'onvif.ptz.home', glyph: '⌂' },
  { key: 'r', x: 1, y: 0, label: 'onvif.ptz.right', glyph: '→' },
  { key: 'dl', x: -1, y: -1, label: 'onvif.ptz.downLeft', glyph: '↙' },
  { key: 'd', x: 0, y: -1, label: 'onvif.ptz.down', glyph: '↓' },
  { key: 'dr', x: 1, y: -1, label: 'onvif.ptz.downRight', glyph: '↘' },
];

/**
 * Press-and-hold driver: sends the move, repeats it while held (the server stops the camera when repeats stop, so a
 * lost release or a dropped connection never leaves it spinning), and sends stop on release.
 */
function usePtzDrive(cameraId: number, repeatMs: number, onError: (e: unknown) => void) {
  const current = useRef<PtzMoveRequest | null>(null);
  const timer = useRef<number | null>(null);
  const end = () => {
    if (timer.current !== null) clearInterval(timer.current);
    timer.current = null;
    if (current.current) {
      current.current = null;
      ptzApi.stop(cameraId).catch(onError);
    }
  };
  const start = (v: PtzMoveRequest) => {
    if (timer.current !== null) clearInterval(timer.current);
    current.current = v;
    const send = () => {
      if (!current.current) return;
      ptzApi.move(cameraId, current.current).catch((e) => {
        current.current = null;
        if (timer.current !== null) clearInterval(timer.current);
        timer.current = null;
        onError(e);
      });
    };
    send();
    timer.current = window.setInterval(send, repeatMs);
  };
  useEffect(() => () => end(), [cameraId]);
  useEffect(() => {
    const stopAll = () => end();
    window.addEventListener('blur', stopAll);
    return () => window.removeEventListener('blur', stopAll);
  }, [cameraId]);
  return { start, end };
}

export function PtzPad({ cameraId }: { cameraId: number }) {
  const { t } = useI18n();
  const services = useServices();
  const can = useCan();
  /** Setting the home position and making or deleting tours need this right (common/rights.ts); going home and running a tour do not. */
  const configure = can('ptz.configure');
  const [state, setState] = useState<PtzState | null>(null);
  const [health, setHealth] = useState<OnvifHealth | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [speed, setSpeed] = useState(0.5);
  const [presetName, setPresetName] = useState('');
  const [dwell, setDwell] = useState(10);
  const root = useRef<HTMLDivElement>(null);
  const reload = () => ptzApi.state(cameraId).then(setState, setError);

  useEffect(() => {
    setState(null);
    void reload();
    onvifApi
      .devices()
      .then((list) => setHealth(list.find((d) => d.cameraIds.includes(cameraId))?.health ?? null))
      .catch(() => undefined);
    return services.events.subscribe((ev) => {
      if (ev.type === 'ptz.control' && ev.cameraId === cameraId) setState((s) => (s ? { ...s, holder: ev.holder } : s));
      else if (ev.type === 'ptz.tour' && ev.cameraId === cameraId) setState((s) => (s ? { ...s, tour: ev.tour } : s));
      else if (ev.type === 'ptz.presets' && ev.cameraId === cameraId) setState((s) => (s ? { ...s, presets: ev.presets, tours: ev.tours } : s));
      else if (ev.type === 'onvif.health' && ev.cameraIds.includes(cameraId)) setHealth(ev.health);
    });
  }, [cameraId]);

  const repeatMs = Math.max(150, Math.floor((state?.moveTimeoutMs ?? 1500) / 3));
  const drive = usePtzDrive(cameraId, repeatMs, setError);
  const speedRef = useRef(speed);
  speedRef.current = speed;

  // Arrow keys and +/- while the tile is maximized; the wheel over the tile zooms.
  useEffect(() => {
    if (!state?.ptz) return;
    const held = new Set<string>();
    const typing = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
    };
    const down = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || typing(e)) return;
      const d = keyDirection(e.key);
      if (!d) return;
      e.preventDefault();
      if (held.has(e.key)) return; // auto-repeat: the driver repeats on its own
      held.add(e.key);
      const s = speedRef.current;
      drive.start({ pan: d.x * s, tilt: d.y * s, zoom: d.zoom * s });
    };
    const up = (e: KeyboardEvent) => {
      if (!held.delete(e.key)) return;
      if (held.size === 0) drive.end();
    };
    const tile = root.current?.parentElement;
    let wheelTimer: number | null = null;
    const wheel = (e: WheelEvent) => {
      if ((e.target as HTMLElement).closest('.ptz-panel')) return;
      e.preventDefault();
      const dir = e.deltaY < 0 ? 1 : -1;
      drive.start({ pan: 0, tilt: 0, zoom: dir * speedRef.current });
      if (wheelTimer !== null) clearTimeout(wheelTimer);
      wheelTimer = window.setTimeout(() => drive.end(), 250);
    };
    document.addEventListener('keydown', down);
    document.addEventListener('keyup', up);
    tile?.addEventListener('wheel', wheel, { passive: false });
    return () => {
      document.removeEventListener('keydown', down);
      document.removeEventListener('keyup', up);
      tile?.removeEventListener('wheel', wheel);
      if (wheelTimer !== null) clearTimeout(wheelTimer);
      drive.end();
    };
  }, [state?.ptz, cameraId]);

  if (!state || !state.ptz) return <div ref={root} hidden />;

  const act = (p: Promise<unknown>) => p.then(() => setError(null), setError);
  const holder = state.holder;
  const holderLine = !holder
    ? t('onvif.ptz.free')
    : holder.userId === services.user.id
      ? t('onvif.ptz.you')
      : t('onvif.ptz.holder', { name: holder.username, role: holder.role === 'system' ? 'system' : t(`role.${holder.role}`) });
  const hold = (v: PtzMoveRequest) => ({
    onPointerDown: (e: PointerEvent) => {
      (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
      drive.start(v);
    },
    onPointerUp: () => drive.end(),
    onPointerCancel: () => drive.end(),
    onLostPointerCapture: () => drive.end(),
  });
  const presetById = new Map(state.presets.map((p) => [p.id, p]));

  return (
    <div
      ref={root}
      class="ptz-panel"
      data-camera-id={cameraId}
      onClick={(e) => e.stopPropagation()}
      onDblClick={(e) => e.stopPropagation()}
      aria-label={t('onvif.ptz.title')}
    >
      <header class="ptz-head">
        <strong>{t('onvif.ptz.title')}</strong>
        <span class={`ptz-holder${holder && holder.userId !== services.user.id ? ' other' : ''}`} data-holder={holder?.username ?? ''}>
          {holderLine}
        </span>
        {holder && holder.userId === services.user.id ? (
          <button type="button" class="small" onClick={() => act(ptzApi.release(cameraId))}>
            {t('onvif.ptz.release')}
          </button>
        ) : null}
      </header>
      {health && !health.reachable && health.checkedMs ? (
        <div class="ptz-flag tone-red" role="status">
          <span aria-hidden="true">⚠</span> {t('onvif.ptz.unreachable')}
        </div>
      ) : null}
      {health?.clockSkewed && health.clockOffsetMs !== null ? (
        <div class="ptz-flag tone-amber" role="status" title={t('onvif.ptz.clockSkewHint')} data-clock-skew={health.clockOffsetMs}>
          <span aria-hidden="true">⚠</span> {t('onvif.ptz.clockSkew', { seconds: (health.clockOffsetMs / 1000).toFixed(1) })}
        </div>
      ) : null}
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <div class="ptz-pad" role="group" aria-label={t('onvif.ptz.pad')}>
        {DIRS.map((d) =>
          d.key === 'home' ? (
            <button key={d.key} type="button" class="ptz-btn home" title={t(d.label)} aria-label={t(d.label)} onClick={() => act(ptzApi.home(cameraId))}>
              {d.glyph}
            </button>
          ) : (
            <button key={d.key} type="button" class="ptz-btn" data-dir={d.key} title={t(d.label)} aria-label={t(d.label)} {...hold(padVector(d, speed))}>
              {d.glyph}
            </button>
          ),
        )}
      </div>
      <div class="ptz-zoom">
        <button
          type="button"
          class="ptz-btn"
          data-dir="zoom-out"
          title={t('onvif.ptz.zoomOut')}
          aria-label={t('onvif.ptz.zoomOut')}
          {...hold({ pan: 0, tilt: 0, zoom: -speed })}
        >
          −
        </button>
        <label class="ptz-speed">
          {t('onvif.ptz.speed')}
          <input type="range" min="0.1" max="1" step="0.1" value={speed} onInput={(e) => setSpeed(Number((e.target as HTMLInputElement).value))} />
        </label>
        <button
          type="button"
          class="ptz-btn"
          data-dir="zoom-in"
          title={t('onvif.ptz.zoomIn')}
          aria-label={t('onvif.ptz.zoomIn')}
          {...hold({ pan: 0, tilt: 0, zoom: speed })}
        >
          +
        </button>
      </div>
      <p class="muted small">{t('onvif.ptz.keysHint')}</p>
      {configure ? (
        <div class="ptz-inline">
          <button
            type="button"
            class="small"
            name="set-home"
            onClick={() => act(ptzApi.setHome(cameraId).then(() => services.toasts.show((tr) => tr('onvif.ptz.homeSaved'))))}
          >
            {t('onvif.ptz.setHome')}
          </button>
        </div>
      ) : null}

      <section class="ptz-section">
        <h4>{t('onvif.ptz.presets')}</h4>
        {state.presets.length === 0 ? <p class="muted small">{t('onvif.ptz.noPresets')}</p> : null}
        <ul class="ptz-list">
          {state.presets.map((p) => (
            <li key={p.id} data-preset-id={p.id}>
              <span class="ptz-item-name">{p.name}</span>
              <button type="button" class="small" onClick={() => act(ptzApi.gotoPreset(cameraId, p.id))}>
                {t('onvif.ptz.goto')}
              </button>
              <button
                type="button"
                class="small"
                onClick={() => {
                  const name = window.prompt(t('onvif.ptz.presetName'), p.name)?.trim();
                  if (name && name !== p.name) void act(ptzApi.renamePreset(cameraId, p.id, name));
                }}
              >
                {t('onvif.ptz.rename')}
              </button>
              <button
                type="button"
                class="small danger"
                onClick={() => {
                  if (window.confirm(t('onvif.ptz.deleteConfirm', { name: p.name }))) void act(ptzApi.deletePreset(cameraId, p.id));
                }}
              >
                {t('onvif.ptz.delete')}
              </button>
            </li>
          ))}
        </ul>
        <form
          class="ptz-inline"
          onSubmit={(e) => {
            e.preventDefault();
            const name = presetName.trim();
            if (!name) return;
            void act(
              ptzApi.createPreset(cameraId, name).then((p) => {
                setPresetName('');
                services.toasts.show((tr) => tr('onvif.ptz.presetSaved', { name: p.name }));
              }),
            );
          }}
        >
          <input
            aria-label={t('onvif.ptz.presetName')}
            placeholder={t('onvif.ptz.presetName')}
            maxLength={64}
            value={presetName}
            onInput={(e) => setPresetName((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="small primary">
            {t('onvif.ptz.savePreset')}
          </button>
        </form>
      </section>

      <section class="ptz-section">
        <h4>{t('onvif.ptz.tours')}</h4>
        {state.tour ? (
          <div class="ptz-tour-status" data-tour-state={state.tour.state} role="status">
            {state.tour.state === 'running'
              ? t('onvif.ptz.tourRunning', { name: state.tour.name, step: state.tour.stepIndex + 1 })
              : t('onvif.ptz.tourYielded', { name: state.tour.name })}
            <button type="button" class="small" onClick={() => act(ptzApi.stopTour(cameraId))}>
              {t('onvif.ptz.stop')}
            </button>
          </div>
        ) : null}
        {state.tours.length === 0 ? <p class="muted small">{t('onvif.ptz.noTours')}</p> : null}
        <ul class="ptz-list">
          {state.tours.map((tour) => (
            <li key={tour.id} data-tour-id={tour.id}>
              <span class="ptz-item-name" title={tour.steps.map((s) => `${presetById.get(s.presetId)?.name ?? s.presetId} ${s.dwellSeconds} s`).join(' → ')}>
                {tour.name}
              </span>
              <button type="button" class="small" onClick={() => act(ptzApi.startTour(cameraId, tour.id))}>
                {t('onvif.ptz.start')}
              </button>
              {configure ? (
                <button type="button" class="small danger" onClick={() => act(ptzApi.deleteTour(cameraId, tour.id))}>
                  {t('onvif.ptz.delete')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        {configure && state.presets.length > 0 ? (
          <form
            class="ptz-inline"
            onSubmit={(e) => {
              e.preventDefault();
              const name = t('onvif.ptz.tourDefaultName', { n: state.tours.length + 1 });
              void act(ptzApi.createTour(cameraId, { name, steps: state.presets.map((p) => ({ presetId: p.id, dwellSeconds: dwell })) }));
            }}
          >
            <label class="small">
              {t('onvif.ptz.dwell')}
              <input type="number" min="1" max="3600" value={dwell} onInput={(e) => setDwell(Math.max(1, Number((e.target as HTMLInputElement).value) || 1))} />
            </label>
            <button type="submit" class="small">
              {t('onvif.ptz.newTour')}
            </button>
          </form>
        ) : null}
      </section>
    </div>
  );
}
