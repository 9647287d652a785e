// The Map tab: live unit markers (clustered), unit card, fixed cameras, nearest units, geofences and track playback on Leaflet.
import { useCan } from '../rights';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import './map.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { UNIT_TYPES, type Camera, type UnitType } from '../../common/api';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../common/geo';
import type { CameraPlacement, Geofence, MapConfig, MapUnit, NearestUnit, TrackPointView } from '../../common/gps';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { gpsApi, tileUrlWithToken } from './gps-api';
import { UnitLayer } from './unit-layer';
import { unitMapStatus } from './unit-status';
import { positionAt, TrackClock } from './track-player';
import { activeTrackClock } from './track-sync';
import { AlarmDetail } from '../alarms/alarm-detail';
import { sevKey, typeKey } from '../alarms/labels';
import { consoleAlarms } from '../alarms/use-alarms';
import { alarmApi } from '../alarms/alarm-api';
import { AlarmLayer } from './alarm-layer';
import { hasRecordings, TrackVideoLink } from './track-video';
import { UnitLinks } from '../shell/unit-links';
import { TrackVideoPanel } from './track-video-panel';

type Tool = 'none' | 'nearest' | 'polygon' | 'circle' | 'place';

const DEFAULT_CENTER: [number, number] = [31.2304, 121.4737];

/** Tooltip content as text: Leaflet puts a string tooltip in as HTML, and names come from users. */
function textTip(text: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = text;
  return el;
}

function fmtNum(locale: string, v: number, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v);
}

export function MapTab() {
  const services = useServices();
  const { t, locale } = useI18n();
  const unitsStore = useStore(services.units);
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<UnitLayer | null>(null);
  const fenceLayer = useRef<L.LayerGroup | null>(null);
  const cameraLayer = useRef<L.LayerGroup | null>(null);
  const drawLayer = useRef<L.LayerGroup | null>(null);
  const trackLayer = useRef<L.LayerGroup | null>(null);
  const alarmLayer = useRef<AlarmLayer | null>(null);
  const alarmsCenter = useMemo(() => consoleAlarms(services), [services]);
  const openAlarms = useStore(alarmsCenter.alarms);
  const [selectedAlarm, setSelectedAlarm] = useState<number | null>(null);
  const [config, setConfig] = useState<MapConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [unitTick, setUnitTick] = useState(0);
  const [tool, setTool] = useState<Tool>('none');
  const toolRef = useRef<Tool>('none');
  toolRef.current = tool;
  const [nearest, setNearest] = useState<NearestUnit[] | null>(null);
  const [fences, setFences] = useState<Geofence[]>([]);
  const [draft, setDraft] = useState<Array<[number, number]>>([]);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const [fenceName, setFenceName] = useState('');
  const [fenceTypes, setFenceTypes] = useState<UnitType[]>([]);
  const [placements, setPlacements] = useState<CameraPlacement[]>([]);
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [placeCamera, setPlaceCamera] = useState<number | null>(null);
  const placeRef = useRef<{ cameraId: number | null; at: [number, number] | null }>({ cameraId: null, at: null });
  placeRef.current.cameraId = placeCamera;
  const [track, setTrack] = useState<{ unitId: number; points: TrackPointView[]; clock: TrackClock } | null>(null);
  const [trackT, setTrackT] = useState(0);
  const [video, setVideo] = useState<TrackVideoLink | null>(null);
  const [videoPlaying, setVideoPlaying] = useState(false);
  const [range, setRange] = useState(() => ({ from: Date.now() - 3600_000, to: Date.now() }));
  const allowed = useCan();
  const isAdmin = allowed('cameras.manage');

  const gcj = config?.datum === 'gcj02';
  const toDisplay = useMemo(() => (gcj ? (lat: number, lon: number) => wgs84ToGcj02(lat, lon) : (lat: number, lon: number): [number, number] => [lat, lon]), [gcj]);
  const fromDisplay = (lat: number, lon: number): [number, number] => (gcj ? gcj02ToWgs84(lat, lon) : [lat, lon]);

  // ---- map and data
  useEffect(() => {
    let cancelled = false;
    void gpsApi
      .config()
      .then((c) => !cancelled && setConfig(c))
      .catch((e: Error) => setError(e.message));
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!config || !el.current) return;
    const map = L.map(el.current, { zoomControl: true, preferCanvas: false, minZoom: config.minZoom, maxZoom: Math.max(config.maxZoom, 18) });
    mapRef.current = map;
    if (config.tileUrl && (config.localTiles || /^https?:/.test(config.tileUrl))) {
      L.tileLayer(tileUrlWithToken(config.tileUrl), { minZoom: config.minZoom, maxZoom: Math.max(config.maxZoom, 18), maxNativeZoom: config.maxZoom }).addTo(map);
    }
    if (config.bounds) {
      const [w, s, e, n] = config.bounds;
      map.fitBounds([toDisplay(s, w), toDisplay(n, e)]);
    } else map.setView(config.center ? toDisplay(...config.center) : toDisplay(...DEFAULT_CENTER), 13);
    const layer = new UnitLayer(toDisplay, (id) => setSelected(id), (id) => services.units.get().get(id)?.status.online ?? false);
    layerRef.current = layer;
    map.addLayer(layer.group);
    fenceLayer.current = L.layerGroup().addTo(map);
    cameraLayer.current = L.layerGroup().addTo(map);
    drawLayer.current = L.layerGroup().addTo(map);
    trackLayer.current = L.layerGroup().addTo(map);
    const alarms = new AlarmLayer(toDisplay, (id) => setSelectedAlarm(id), (m) => `${t(sevKey(m.severity))} · ${t(typeKey(m.type))} · ${m.sourceName}`);
    alarmLayer.current = alarms;
    map.addLayer(alarms.group);
    alarms.update(alarmsCenter.alarms.get().values());
    map.on('click', (ev: L.LeafletMouseEvent) => onMapClick(fromDisplay(ev.latlng.lat, ev.latlng.lng)));
    const reload = () =>
      gpsApi
        .units()
        .then((u) => {
          layer.setAll(u);
          setUnitTick((x) => x + 1);
        })
        .catch((e: Error) => setError(e.message));
    void reload();
    void gpsApi.geofences().then(setFences).catch(() => undefined);
    void gpsApi.placements().then(setPlacements).catch(() => undefined);
    void gpsApi.cameras().then(setCameras).catch(() => undefined);
    const unsub = services.events.subscribe((ev) => {
      switch (ev.type) {
        case 'gps.positions':
          layer.positions(ev.positions);
          layer.links(ev.links);
          setUnitTick((x) => x + 1);
          break;
        case 'gps.geofence.changed':
          void gpsApi.geofences().then(setFences);
          break;
        case 'gps.camera.placed':
          void gpsApi.placements().then(setPlacements);
          break;
        case 'unit.changed':
        case 'unit.deleted':
          void reload();
          break;
        case 'device.event': {
          const e = ev.event;
          const name = e.cameraId !== null ? (layer.unit(e.cameraId)?.callsign ?? `#${e.cameraId}`) : '';
          if (e.type === 'geofence_enter' || e.type === 'geofence_exit') {
            const fence = String(e.detail?.geofence ?? '');
            services.toasts.show((tr) => tr(e.type === 'geofence_enter' ? 'gps.fence.enter' : 'gps.fence.exit', { unit: name, fence }));
          } else if (e.type === 'sos' && e.state === 'active') services.toasts.show((tr) => tr('gps.sos.alert', { unit: name }));
          if (e.type === 'sos' && e.cameraId !== null) {
            const u = layer.unit(e.cameraId);
            if (u) layer.upsert({ ...u, sos: e.state === 'active' });
          }
          break;
        }
        default:
          break;
      }
    });
    const tick = setInterval(() => {
      layer.tick();
      setUnitTick((x) => x + 1);
    }, 5000);
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(el.current);
    return () => {
      unsub();
      clearInterval(tick);
      ro.disconnect();
      map.remove();
      mapRef.current = null;
      alarmLayer.current = null;
    };
  }, [config]);

  // The tab is kept mounted while hidden: Leaflet needs to re-measure when it becomes visible again.
  const activeTab = useStore(services.activeTab);
  useEffect(() => {
    if (activeTab === 'map') setTimeout(() => mapRef.current?.invalidateSize(), 0);
  }, [activeTab]);

  // ---- open alarms at their location (and again when the language changes: the labels)
  useEffect(() => {
    alarmLayer.current?.update(openAlarms.values());
  }, [openAlarms, locale, config]);
  const alarmSel = selectedAlarm !== null ? openAlarms.get(selectedAlarm) ?? null : null;

  // ---- clicks on the map, by tool
  function onMapClick([lat, lon]: [number, number]): void {
    switch (toolRef.current) {
      case 'nearest':
        void gpsApi.nearest(lat, lon).then(setNearest);
        drawLayer.current?.clearLayers();
        L.circleMarker(toDisplay(lat, lon), { radius: 6, color: '#4c8dff' }).addTo(drawLayer.current!);
        break;
      case 'polygon':
        setDraft([...draftRef.current, [lat, lon]]);
        break;
      case 'circle':
        if (draftRef.current.length < 2) setDraft([...draftRef.current, [lat, lon]]);
        break;
      case 'place': {
        const cam = placeRef.current.cameraId;
        if (cam === null) break;
        if (!placeRef.current.at) placeRef.current.at = [lat, lon];
        else {
          const [alat, alon] = placeRef.current.at;
          const y = Math.sin(((lon - alon) * Math.PI) / 180) * Math.cos((lat * Math.PI) / 180);
          const x = Math.cos((alat * Math.PI) / 180) * Math.sin((lat * Math.PI) / 180) - Math.sin((alat * Math.PI) / 180) * Math.cos((lat * Math.PI) / 180) * Math.cos(((lon - alon) * Math.PI) / 180);
          const viewDeg = (((Math.atan2(y, x) * 180) / Math.PI) + 360) % 360;
          void gpsApi.place(cam, { lat: alat, lon: alon, viewDeg: Math.round(viewDeg) }).catch((e: Error) => setError(e.message));
          placeRef.current.at = null;
          setTool('none');
        }
        break;
      }
      default:
        break;
    }
  }

  // ---- drawing preview
  useEffect(() => {
    const g = drawLayer.current;
    if (!g || (tool !== 'polygon' && tool !== 'circle')) return;
    g.clearLayers();
    if (tool === 'polygon' && draft.length > 0) L.polygon(draft.map(([a, b]) => toDisplay(a, b)), { color: '#f0b429' }).addTo(g);
    if (tool === 'circle' && draft.length > 0) {
      const r = draft.length === 2 ? L.latLng(draft[0]!).distanceTo(L.latLng(draft[1]!)) : 5;
      L.circle(toDisplay(...draft[0]!), { radius: r, color: '#f0b429' }).addTo(g);
    }
  }, [draft, tool]);

  // ---- geofences on the map
  useEffect(() => {
    const g = fenceLayer.current;
    if (!g) return;
    g.clearLayers();
    for (const f of fences) {
      const style = { color: f.enabled ? '#f05252' : '#8a94a6', weight: 2, fillOpacity: 0.08 };
      const shape = f.circle ? L.circle(toDisplay(f.circle.lat, f.circle.lon), { ...style, radius: f.circle.radiusM }) : L.polygon((f.polygon ?? []).map(([a, b]) => toDisplay(a, b)), style);
      shape.bindTooltip(textTip(f.name)).addTo(g);
    }
  }, [fences, config]);

  // ---- fixed cameras (draggable for administrators)
  useEffect(() => {
    const g = cameraLayer.current;
    if (!g) return;
    g.clearLayers();
    for (const p of placements) {
      const m = L.marker(toDisplay(p.lat, p.lon), {
        draggable: isAdmin,
        icon: L.divIcon({ className: 'camera-marker', html: `<span data-camera-id="${p.cameraId}">📷</span>`, iconSize: [22, 22], iconAnchor: [11, 11] }),
      });
      m.bindTooltip(textTip(p.name));
      m.on('click', () => watchLive(p.cameraId));
      m.on('dragend', () => {
        const ll = m.getLatLng();
        const [lat, lon] = fromDisplay(ll.lat, ll.lng);
        void gpsApi.place(p.cameraId, { lat, lon, viewDeg: p.viewDeg }).catch((e: Error) => setError(e.message));
      });
      m.addTo(g);
      if (p.viewDeg !== null) {
        const d = 0.0008;
        const rad = (p.viewDeg * Math.PI) / 180;
        const tip = toDisplay(p.lat + d * Math.cos(rad), p.lon + (d * Math.sin(rad)) / Math.cos((p.lat * Math.PI) / 180));
        L.polyline([toDisplay(p.lat, p.lon), tip], { color: '#4c8dff', weight: 3 }).addTo(g);
      }
    }
  }, [placements, config]);

  /** A manual alarm for the unit at its live position (the operator's call from the map). */
  async function raiseAlarm(u: MapUnit): Promise<void> {
    try {
      const a = await alarmApi.raise({
        sourceId: u.unitId,
        severity: 'major',
        message: t('gps.alarm.message', { unit: u.callsign, user: services.user.username }),
        lat: u.position?.lat ?? null,
        lon: u.position?.lon ?? null,
      });
      services.toasts.show((tr) => tr('alarms.raised', { id: a.id }));
      setSelectedAlarm(a.id);
    } catch (e) {
      services.toasts.show((tr) => `${tr('alarms.tile.failed')}: ${(e as Error).message}`);
    }
  }

  function watchLive(sourceId: number): void {
    services.wallRequest.set({ sourceId, seq: (services.wallRequest.get()?.seq ?? 0) + 1 });
    services.activeTab.set('live');
  }

  async function saveFence(): Promise<void> {
    try {
      const unitTypes = fenceTypes.length > 0 ? fenceTypes : null;
      if (tool === 'polygon') await gpsApi.createGeofence({ name: fenceName.trim(), shape: 'polygon', polygon: draft, unitTypes });
      else {
        const radiusM = Math.max(1, L.latLng(draft[0]!).distanceTo(L.latLng(draft[1]!)));
        await gpsApi.createGeofence({ name: fenceName.trim(), shape: 'circle', circle: { lat: draft[0]![0], lon: draft[0]![1], radiusM }, unitTypes });
      }
      cancelTool();
      setFences(await gpsApi.geofences());
    } catch (e) {
      setError((e as Error).message);
    }
  }

  function cancelTool(): void {
    setTool('none');
    setDraft([]);
    setFenceName('');
    setFenceTypes([]);
    placeRef.current.at = null;
    drawLayer.current?.clearLayers();
  }

  // ---- track playback
  async function loadTrack(unitId: number): Promise<void> {
    track?.clock.close();
    video?.close();
    setVideo(null);
    const points = await gpsApi.track(unitId, range.from, range.to);
    const clock = new TrackClock(unitId, points[0]?.tMs ?? range.from, points.at(-1)?.tMs ?? range.to);
    clock.onChange((tMs) => setTrackT(tMs));
    setTrack({ unitId, points, clock });
    setTrackT(clock.tMs);
    activeTrackClock.set(clock);
    const g = trackLayer.current!;
    g.clearLayers();
    if (points.length > 0) {
      const line = L.polyline(points.map((p) => toDisplay(p.lat, p.lon)), { color: '#4c8dff', weight: 3 }).addTo(g);
      mapRef.current?.fitBounds(line.getBounds(), { maxZoom: 17 });
    }
    // Recordings of the unit over the track: the video drives the marker and follows the slider.
    if (points.length > 0 && (await hasRecordings(unitId, clock.startMs, clock.endMs)) && activeTrackClock.get() === clock) {
      const link = new TrackVideoLink(clock);
      link.onPlaying(setVideoPlaying);
      setVideoPlaying(false);
      setVideo(link);
    }
  }
  const trackMarker = useRef<L.Marker | null>(null);
  useEffect(() => {
    const g = trackLayer.current;
    if (!g || !track || track.points.length === 0) return;
    const p = positionAt(track.points, trackT);
    if (!p) return;
    const ll = toDisplay(p.lat, p.lon);
    if (!trackMarker.current || !g.hasLayer(trackMarker.current)) {
      trackMarker.current = L.marker(ll, { icon: L.divIcon({ className: 'track-marker', html: '<span></span>', iconSize: [16, 16], iconAnchor: [8, 8] }), interactive: false }).addTo(g);
    } else trackMarker.current.setLatLng(ll);
  }, [trackT, track]);
  useEffect(() => () => track?.clock.close(), [track]);
  useEffect(() => () => video?.close(), [video]);

  // ---- render
  const sel = selected !== null ? layerRef.current?.unit(selected) ?? null : null;
  void unitTick;
  const dtLocal = (ms: number) => {
    const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
    return d.toISOString().slice(0, 16);
  };
  const fmtTime = (ms: number) => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
  const fmtDist = (m: number) => (m >= 1000 ? t('gps.km', { value: fmtNum(locale, m / 1000, 1) }) : t('gps.meters', { value: fmtNum(locale, m) }));
  const unitName = (id: number) => layerRef.current?.unit(id)?.callsign ?? unitsStore.get(id)?.callsign ?? `#${id}`;

  return (
    <div class="map-tab">
      <div class="map-stage">
        <div class="map-canvas" ref={el} />
        <div class="map-toolbar">
          <button type="button" class="small" aria-pressed={tool === 'nearest'} onClick={() => (tool === 'nearest' ? cancelTool() : setTool('nearest'))}>
            {t('gps.tool.nearest')}
          </button>
          {allowed('geofences.edit') && (
            <>
              <button type="button" class="small" aria-pressed={tool === 'polygon'} onClick={() => (cancelTool(), setTool('polygon'))}>
                {t('gps.tool.polygon')}
              </button>
              <button type="button" class="small" aria-pressed={tool === 'circle'} onClick={() => (cancelTool(), setTool('circle'))}>
                {t('gps.tool.circle')}
              </button>
            </>
          )}
          {isAdmin && (
            <select aria-label={t('gps.camera.place')} value={placeCamera ?? ''} onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              setPlaceCamera(v ? Number(v) : null);
              setTool(v ? 'place' : 'none');
            }}>
              <option value="">{t('gps.camera.choose')}</option>
              {cameras.map((c) => (
                <option value={c.id}>{c.name}</option>
              ))}
            </select>
          )}
          {tool !== 'none' && (
            <span class="hint">
              {tool === 'nearest' ? t('gps.tool.hint.nearest') : tool === 'polygon' ? t('gps.tool.hint.polygon') : tool === 'circle' ? t('gps.tool.hint.circle') : t('gps.camera.placeHint')}
            </span>
          )}
          {tool !== 'none' && (
            <button type="button" class="small" onClick={cancelTool}>
              {t('gps.tool.cancel')}
            </button>
          )}
        </div>
      </div>
      <aside class="map-side">
        {error && <div role="alert" class="error">{t('gps.error.load', { message: error })}</div>}
        {config && !config.localTiles && !/^https?:/.test(config.tileUrl) && <div class="hint">{t('gps.map.noTiles')}</div>}
        {alarmSel && (
          <div class="map-alarm-card">
            <AlarmDetail alarm={alarmSel} onShowVideo={() => services.activeTab.set('live')} />
            <button type="button" class="small map-alarm-close" onClick={() => setSelectedAlarm(null)}>
              {t('gps.card.close')}
            </button>
          </div>
        )}
        {sel && (
          <section class="unit-card" data-unit-id={sel.unitId}>
            <h3>
              {sel.callsign} <span class={`status-${unitMapStatus(sel, Date.now(), unitsStore.get(sel.unitId)?.status.online ?? false)}`}>{t(`gps.status.${unitMapStatus(sel, Date.now(), unitsStore.get(sel.unitId)?.status.online ?? false)}`)}</span>
              {unitsStore.get(sel.unitId) ? <UnitLinks status={unitsStore.get(sel.unitId)!.status} /> : null}
            </h3>
            <dl>
              <dt>{t('gps.card.officer')}</dt>
              <dd>{sel.officer ?? '—'}</dd>
              {sel.position ? (
                <>
                  <dt>{t('gps.card.speed')}</dt>
                  <dd>{sel.position.speedMps != null ? t('gps.kmh', { value: fmtNum(locale, sel.position.speedMps * 3.6) }) : '—'}</dd>
                  <dt>{t('gps.card.heading')}</dt>
                  <dd>{sel.position.headingDeg != null ? t('gps.deg', { value: fmtNum(locale, sel.position.headingDeg) }) : '—'}</dd>
                  <dt>{t('gps.card.battery')}</dt>
                  <dd>{sel.position.batteryPct != null ? t('gps.pct', { value: fmtNum(locale, sel.position.batteryPct) }) : '—'}</dd>
                  <dt>{t('gps.card.signal')}</dt>
                  <dd>{sel.position.signalDbm != null ? t('gps.dbm', { value: fmtNum(locale, sel.position.signalDbm) }) : '—'}</dd>
                  <dt>{t('gps.card.lastSeen')}</dt>
                  <dd class="last-seen">{fmtTime(sel.position.tMs)}</dd>
                  <dt>{t('gps.card.position')}</dt>
                  <dd>
                    {sel.position.lat.toFixed(5)}, {sel.position.lon.toFixed(5)}
                  </dd>
                </>
              ) : (
                <dd>{t('gps.card.noPosition')}</dd>
              )}
            </dl>
            <div class="row">
              <button type="button" class="primary small" onClick={() => watchLive(sel.unitId)}>
                {t('gps.card.watchLive')}
              </button>
              {allowed('gps.history') && (
                <button type="button" class="small" onClick={() => void loadTrack(sel.unitId)}>
                  {t('gps.card.track')}
                </button>
              )}
              {allowed('alarms.handle') && (
                <button type="button" class="small danger" onClick={() => void raiseAlarm(sel)}>
                  {t('gps.card.raiseAlarm')}
                </button>
              )}
              <button type="button" class="small" onClick={() => setSelected(null)}>
                {t('gps.card.close')}
              </button>
            </div>
          </section>
        )}
        {(sel || track) && (
          <section class="track-panel">
            <h3>{t('gps.track.title', { unit: unitName(track?.unitId ?? sel!.unitId) })}</h3>
            <div class="row">
              <label>
                {t('gps.track.from')} <input type="datetime-local" value={dtLocal(range.from)} onChange={(e) => setRange({ ...range, from: new Date((e.target as HTMLInputElement).value).getTime() })} />
              </label>
              <label>
                {t('gps.track.to')} <input type="datetime-local" value={dtLocal(range.to)} onChange={(e) => setRange({ ...range, to: new Date((e.target as HTMLInputElement).value).getTime() })} />
              </label>
              <button type="button" class="small" onClick={() => void loadTrack(track?.unitId ?? sel!.unitId).catch((e: Error) => setError(e.message))}>
                {t('gps.track.load')}
              </button>
            </div>
            {track && (track.points.length === 0 ? (
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
                    onClick={() => (video ? video.toggle() : track.clock.playing ? track.clock.pause() : track.clock.play(), setTrackT(track.clock.tMs))}
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
                      {[1, 2, 4, 8, 16, 60].filter((s) => !video || s <= 16).map((s) => (
                        <option value={s}>{s}×</option>
                      ))}
                    </select>
                  </label>
                  <span class="track-time" data-t-ms={Math.round(trackT)}>{fmtTime(trackT)}</span>
                </div>
              </>
            ))}
          </section>
        )}
        {nearest && (
          <section class="nearest">
            <h3>{t('gps.nearest.title')}</h3>
            {nearest.length === 0 ? (
              <div class="hint">{t('gps.nearest.none')}</div>
            ) : (
              <ul>
                {nearest.map((n) => (
                  <li>
                    <a href="#" onClick={(e) => (e.preventDefault(), setSelected(n.unitId), mapRef.current?.panTo(toDisplay(n.position.lat, n.position.lon)))}>
                      {unitName(n.unitId)}
                    </a>
                    <span>{fmtDist(n.distanceM)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        {(tool === 'polygon' || tool === 'circle') && (
          <section class="fence-form">
            <h3>{t('gps.fence.title')}</h3>
            <label>
              {t('gps.fence.name')} <input class="fence-name" value={fenceName} onInput={(e) => setFenceName((e.target as HTMLInputElement).value)} />
            </label>
            <fieldset class="fence-types">
              <legend>{t('gps.fence.units')}</legend>
              {UNIT_TYPES.map((ty) => (
                <label>
                  <input
                    type="checkbox"
                    checked={fenceTypes.includes(ty)}
                    onChange={(e) => setFenceTypes((e.target as HTMLInputElement).checked ? [...fenceTypes, ty] : fenceTypes.filter((x) => x !== ty))}
                  />{' '}
                  {t(`unitType.${ty}`)}
                </label>
              ))}
              {fenceTypes.length === 0 && <div class="hint">{t('gps.fence.allUnits')}</div>}
            </fieldset>
            <button type="button" class="primary small" disabled={!fenceName.trim() || (tool === 'polygon' ? draft.length < 3 : draft.length < 2)} onClick={() => void saveFence()}>
              {t('gps.fence.save')}
            </button>
          </section>
        )}
        <section class="fences">
          <h3>{t('gps.fence.title')}</h3>
          {fences.length === 0 ? (
            <div class="hint">{t('gps.fence.none')}</div>
          ) : (
            <ul>
              {fences.map((f) => (
                <li data-fence-id={f.id}>
                  <span>{f.name}</span>
                  {allowed('geofences.edit') && (
                    <button type="button" class="small danger" onClick={() => void gpsApi.deleteGeofence(f.id).then(() => gpsApi.geofences().then(setFences))}>
                      {t('gps.fence.delete')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <div class="hint unit-count">{t('gps.map.units', { count: layerRef.current?.units().filter((u) => u.position).length ?? 0 })}</div>
      </aside>
    </div>
  );
}
