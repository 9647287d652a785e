// The Map tab: the panel state (selection, tools, geofence drafts, track playback) around MapController (the Leaflet side).
import { formatDateTime } from '../format';
import { useCan } from '../rights';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import './map.css';
import L from 'leaflet';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Camera, UnitType } from '../../common/api';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../common/geo';
import type { CameraPlacement, Geofence, MapConfig, MapUnit, NearestUnit } from '../../common/gps';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { gpsApi } from './gps-api';
import { positionAt, TrackClock } from './track-player';
import { activeTrackClock } from './track-sync';
import { AlarmDetail } from '../alarms/alarm-detail';
import { sevKey, typeKey } from '../alarms/labels';
import { consoleAlarms } from '../alarms/use-alarms';
import { alarmApi } from '../alarms/alarm-api';
import { hasRecordings, TrackVideoLink } from './track-video';
import { hasTiles, MapController } from './map-controller';
import { fmtNum, UnitCard } from './unit-card';
import { TrackPanel, type LoadedTrack } from './track-panel';
import { FenceForm, FenceList } from './fence-panel';
import { errorText } from '../api';
import { bearingDeg } from './bearing';
import { MapToolbar, type Tool } from './map-toolbar';
import { NearestPanel } from './nearest-panel';

/** Tooltip content as text: Leaflet puts a string tooltip in as HTML, and names come from users. */
function textTip(text: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = text;
  return el;
}

export function MapTab() {
  const services = useServices();
  const { t, locale } = useI18n();
  const unitsStore = useStore(services.units);
  const el = useRef<HTMLDivElement>(null);
  const ctl = useRef<MapController | null>(null);
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
  const [track, setTrack] = useState<LoadedTrack | null>(null);
  const [trackT, setTrackT] = useState(0);
  const [video, setVideo] = useState<TrackVideoLink | null>(null);
  const [videoPlaying, setVideoPlaying] = useState(false);
  const [range, setRange] = useState(() => ({ from: Date.now() - 3600_000, to: Date.now() }));
  const allowed = useCan();
  const isAdmin = allowed('cameras.manage');
  const zh = locale.startsWith('zh');
  const tRef = useRef(t); // the map's labels follow the language without a new map
  tRef.current = t;

  const gcj = config?.datum === 'gcj02';
  const toDisplay = useMemo(
    () => (gcj ? (lat: number, lon: number) => wgs84ToGcj02(lat, lon) : (lat: number, lon: number): [number, number] => [lat, lon]),
    [gcj],
  );
  const fromDisplay = (lat: number, lon: number): [number, number] => (gcj ? gcj02ToWgs84(lat, lon) : [lat, lon]);

  // ---- map and data
  useEffect(() => {
    let cancelled = false;
    void gpsApi
      .config()
      .then((c) => !cancelled && setConfig(c))
      .catch((e: Error) => setError(errorText(e)));
    return () => {
      cancelled = true;
    };
  }, []);

  const datum = config?.datum;
  useEffect(() => {
    if (!config || !el.current) return;
    const c = new MapController({
      el: el.current,
      config,
      services,
      toDisplay,
      fromDisplay,
      zh,
      zoomTitles: { zoomIn: tRef.current('screens.map.zoomIn'), zoomOut: tRef.current('screens.map.zoomOut') },
      alarmLabel: (m) => `${tRef.current(sevKey(m.severity))} · ${tRef.current(typeKey(m.type))} · ${m.sourceName}`,
      alarmGroupLabel: (count) => tRef.current('gps.alarm.group', { count }),
      onUnitClick: setSelected,
      onAlarmClick: setSelectedAlarm,
      onMapClick,
      onCameraClick: watchLive,
      onCameraMoved: (p, lat, lon) => void gpsApi.place(p.cameraId, { lat, lon, viewDeg: p.viewDeg }).catch((e: Error) => setError(errorText(e))),
      onUnits: () => setUnitTick((x) => x + 1),
      onFences: () => void gpsApi.geofences().then(setFences),
      onPlacements: () => void gpsApi.placements().then(setPlacements),
      onConfig: setConfig,
      onError: setError,
    });
    ctl.current = c;
    c.setAlarms(alarmsCenter.alarms.get().values());
    void gpsApi
      .geofences()
      .then(setFences)
      .catch(() => undefined);
    void gpsApi
      .placements()
      .then(setPlacements)
      .catch(() => undefined);
    void gpsApi
      .cameras()
      .then(setCameras)
      .catch(() => undefined);
    return () => {
      c.destroy();
      ctl.current = null;
    };
    // A new map only when the datum changes (tiles changing while the server runs are swapped by the controller).
  }, [datum, config !== null]);

  // The tab is kept mounted while hidden: Leaflet needs to re-measure when it becomes visible again.
  const activeTab = useStore(services.activeTab);
  useEffect(() => {
    if (activeTab === 'map') setTimeout(() => ctl.current?.map.invalidateSize(), 0);
  }, [activeTab]);

  // ---- open alarms at their location (and again when the language changes: the labels); province names too
  useEffect(() => {
    ctl.current?.setAlarms(openAlarms.values());
  }, [openAlarms, locale, datum]);
  useEffect(() => ctl.current?.setZoomTitles({ zoomIn: t('screens.map.zoomIn'), zoomOut: t('screens.map.zoomOut') }), [locale]);
  useEffect(() => ctl.current?.setLanguage(zh), [zh]);
  const alarmSel = selectedAlarm !== null ? (openAlarms.get(selectedAlarm) ?? null) : null;

  // ---- clicks on the map, by tool
  function onMapClick([lat, lon]: [number, number]): void {
    switch (toolRef.current) {
      case 'nearest':
        void gpsApi.nearest(lat, lon).then(setNearest);
        ctl.current?.markPoint(lat, lon);
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
          const at = placeRef.current.at;
          void gpsApi.place(cam, { lat: at[0], lon: at[1], viewDeg: Math.round(bearingDeg(at, [lat, lon])) }).catch((e: Error) => setError(errorText(e)));
          placeRef.current.at = null;
          setTool('none');
        }
        break;
      }
      case 'none':
        break;
      default: {
        const never: never = toolRef.current;
        return never;
      }
    }
  }

  useEffect(() => {
    if (tool === 'polygon' || tool === 'circle') ctl.current?.drawDraft(tool, draft);
  }, [draft, tool]);
  useEffect(() => ctl.current?.setFences(fences, (f) => textTip(f.name)), [fences, datum]);
  useEffect(() => ctl.current?.setPlacements(placements), [placements, datum]);

  /** A manual alarm for the unit at its live position (the operator's call from the map). */
  async function raiseAlarm(u: MapUnit): Promise<void> {
    try {
      const a = await alarmApi.raise({
        sourceId: u.channelId ?? u.unitId,
        severity: 'major',
        message: t('gps.alarm.message', { unit: u.callsign, user: services.user.username }),
        lat: u.position?.lat ?? null,
        lon: u.position?.lon ?? null,
      });
      services.toasts.show((tr) => tr('alarms.raised', { id: a.id }));
      setSelectedAlarm(a.id);
    } catch (e) {
      services.toasts.show((tr) => `${tr('alarms.tile.failed')}: ${errorText(e)}`);
    }
  }

  function watchLive(sourceId: number): void {
    // A free tile, not the selected one: the operator's wall stays as it is (docs/design/live-wall.md).
    services.wallRequest.set({ sourceId, seq: Date.now(), placement: 'free' });
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
      setError(errorText(e));
    }
  }

  function cancelTool(): void {
    setTool('none');
    setDraft([]);
    setFenceName('');
    setFenceTypes([]);
    placeRef.current.at = null;
    ctl.current?.draw.clearLayers();
  }

  // ---- track playback
  /** The unit's track and, when its channel recorded over it, the video (the channel: an agent's own id, a body camera's first channel). */
  async function loadTrack(unitId: number): Promise<void> {
    track?.clock.close();
    video?.close();
    setVideo(null);
    const channelId = ctl.current?.unit(unitId)?.channelId ?? unitId;
    const points = await gpsApi.track(unitId, range.from, range.to);
    const clock = new TrackClock(channelId, points[0]?.tMs ?? range.from, points.at(-1)?.tMs ?? range.to);
    clock.onChange((tMs) => setTrackT(tMs));
    setTrack({ unitId, points, clock });
    setTrackT(clock.tMs);
    activeTrackClock.set(clock);
    ctl.current?.showTrack(points);
    // Recordings of the unit over the track: the video drives the marker and follows the slider.
    if (points.length > 0 && (await hasRecordings(channelId, clock.startMs, clock.endMs)) && activeTrackClock.get() === clock) {
      const link = new TrackVideoLink(clock);
      link.onPlaying(setVideoPlaying);
      setVideoPlaying(false);
      setVideo(link);
    }
  }
  useEffect(() => {
    if (!track || track.points.length === 0) return;
    const p = positionAt(track.points, trackT);
    if (p) ctl.current?.moveTrackMarker(p.lat, p.lon);
  }, [trackT, track]);
  useEffect(() => () => track?.clock.close(), [track]);
  useEffect(() => () => video?.close(), [video]);

  // ---- render
  const sel = selected !== null ? (ctl.current?.unit(selected) ?? null) : null;
  void unitTick;
  const fmtTime = formatDateTime; // the console's one date-time format
  const fmtDist = (m: number) => (m >= 1000 ? t('gps.km', { value: fmtNum(locale, m / 1000, 1) }) : t('gps.meters', { value: fmtNum(locale, m) }));
  const unitName = (id: number) => ctl.current?.unit(id)?.callsign ?? unitsStore.get(id)?.callsign ?? `#${id}`;
  return (
    <div class="map-tab">
      <div class="map-stage">
        <div class="map-canvas" ref={el} />
        <MapToolbar
          tool={tool}
          canEditFences={allowed('geofences.edit')}
          canPlace={isAdmin}
          cameras={cameras}
          placeCamera={placeCamera}
          onTool={setTool}
          onCancel={cancelTool}
          onPlaceCamera={(id) => {
            setPlaceCamera(id);
            setTool(id !== null ? 'place' : 'none');
          }}
        />
      </div>
      <aside class="map-side">
        {error && (
          <div role="alert" class="error">
            {t('gps.error.load', { message: error })}
          </div>
        )}
        {config && !hasTiles(config) && <div class="hint map-no-tiles">{t('gps.map.noTiles')}</div>}
        {alarmSel && (
          <div class="map-alarm-card">
            <AlarmDetail alarm={alarmSel} onShowVideo={() => services.activeTab.set('live')} />
            <button type="button" class="small map-alarm-close" onClick={() => setSelectedAlarm(null)}>
              {t('gps.card.close')}
            </button>
          </div>
        )}
        {sel && (
          <UnitCard
            unit={sel}
            services={services}
            fmtTime={fmtTime}
            onWatch={() => watchLive(sel.channelId ?? sel.unitId)}
            onTrack={() => void loadTrack(sel.unitId)}
            onRaise={() => void raiseAlarm(sel)}
            onClose={() => setSelected(null)}
          />
        )}
        {(sel || track) && (
          <TrackPanel
            unitName={unitName(track?.unitId ?? sel!.unitId)}
            range={range}
            track={track}
            trackT={trackT}
            video={video}
            videoPlaying={videoPlaying}
            fmtTime={fmtTime}
            onRange={setRange}
            onLoad={() => void loadTrack(track?.unitId ?? sel!.unitId).catch((e: Error) => setError(errorText(e)))}
            onTick={setTrackT}
          />
        )}
        {nearest && (
          <NearestPanel
            nearest={nearest}
            unitName={unitName}
            fmtDist={fmtDist}
            onPick={(n) => (setSelected(n.unitId), ctl.current?.panTo(n.position.lat, n.position.lon))}
          />
        )}
        {(tool === 'polygon' || tool === 'circle') && (
          <FenceForm
            name={fenceName}
            types={fenceTypes}
            canSave={!!fenceName.trim() && (tool === 'polygon' ? draft.length >= 3 : draft.length >= 2)}
            onName={setFenceName}
            onTypes={setFenceTypes}
            onSave={() => void saveFence()}
          />
        )}
        <FenceList
          fences={fences}
          canDelete={allowed('geofences.edit')}
          onDelete={(id) => void gpsApi.deleteGeofence(id).then(() => gpsApi.geofences().then(setFences))}
        />
        <div class="hint unit-count">{t('gps.map.units', { count: ctl.current?.units.units().filter((u) => u.position).length ?? 0 })}</div>
      </aside>
    </div>
  );
}
