// The Map tab's Leaflet side, outside Preact: the map, the built-in basemap, tiles (swapped live on gps.tiles.changed),
// unit, camera, alarm, geofence, drawing and track layers, and the event stream that feeds them.
import L from 'leaflet';
import type { Alarm } from '../../common/alarms';
import type { Basemap } from '../../common/basemap';
import { can } from '../../common/rights';
import type { DeviceEvent } from '../../common/device-events';
import type { CameraPlacement, Geofence, MapConfig, MapUnit, TrackPointView } from '../../common/gps';
import type { AlarmMarker } from '../alarms/map-markers';
import type { ConsoleServices } from '../services';
import { AlarmLayer } from './alarm-layer';
import { BasemapLayer, fetchBasemap } from './basemap-layer';
import { CameraLayer } from './camera-layer';
import { gpsApi, tileUrlWithToken } from './gps-api';
import { UnitLayer } from './unit-layer';
import { errorText } from '../api';

const DEFAULT_CENTER: [number, number] = [31.2304, 121.4737];
/** Without tiles the basemap shows provinces, not a featureless block of one city. */
const OUTLINE_ZOOM = 6;
const TILE_ZOOM = 13;

type LatLon = [number, number];

export interface MapControllerOptions {
  el: HTMLElement;
  config: MapConfig;
  services: ConsoleServices;
  toDisplay: (lat: number, lon: number) => LatLon;
  fromDisplay: (lat: number, lon: number) => LatLon;
  zh: boolean;
  /** Tooltips of the zoom buttons, in the user's language. */
  zoomTitles: { zoomIn: string; zoomOut: string };
  alarmLabel: (m: AlarmMarker) => string;
  alarmGroupLabel: (count: number) => string;
  onUnitClick: (unitId: number) => void;
  onAlarmClick: (alarmId: number) => void;
  onMapClick: (at: LatLon) => void;
  onCameraClick: (cameraId: number) => void;
  onCameraMoved: (p: CameraPlacement, lat: number, lon: number) => void;
  /** Units changed (positions, links, the 5 s status tick): the panel re-renders. */
  onUnits: () => void;
  onFences: () => void;
  onPlacements: () => void;
  onConfig: (c: MapConfig) => void;
  onError: (message: string) => void;
}

/** Local tiles need the server's file; a remote template is used as given. */
export function hasTiles(c: MapConfig): boolean {
  return c.localTiles || /^https?:/.test(c.tileUrl);
}

export class MapController {
  readonly map: L.Map;
  readonly units: UnitLayer;
  readonly alarms: AlarmLayer;
  private readonly cameras: CameraLayer;
  private readonly basemap: BasemapLayer;
  private readonly fences = L.layerGroup();
  readonly draw = L.layerGroup();
  private readonly track = L.layerGroup();
  private trackMarker: L.Marker | null = null;
  private tiles: L.TileLayer | null = null;
  private basemapData: Basemap | null = null;
  private config: MapConfig;
  /** Vector shapes of the basemap drawn (0 until it loaded). */
  basemapShapes = 0;
  private readonly cleanups: Array<() => void> = [];

  private zoomControl: L.Control.Zoom | null = null;

  /** (Re)places the zoom buttons with tooltips in the user's language (Leaflet's own are English). */
  setZoomTitles(titles: { zoomIn: string; zoomOut: string }): void {
    this.zoomControl?.remove();
    this.zoomControl = L.control.zoom({ zoomInTitle: titles.zoomIn, zoomOutTitle: titles.zoomOut }).addTo(this.map);
  }

  constructor(private readonly o: MapControllerOptions) {
    const c = o.config;
    this.config = c;
    const map = L.map(o.el, { zoomControl: false, preferCanvas: false, minZoom: 0, maxZoom: Math.max(c.maxZoom, 18) });
    this.map = map;
    this.setZoomTitles(o.zoomTitles);
    map.attributionControl.setPrefix(false);
    this.basemap = new BasemapLayer(map, o.toDisplay);
    this.setTiles(c);
    if (c.bounds) {
      const [w, s, e, n] = c.bounds;
      map.fitBounds([o.toDisplay(s, w), o.toDisplay(n, e)]);
    } else map.setView(o.toDisplay(...(c.center ?? DEFAULT_CENTER)), hasTiles(c) ? TILE_ZOOM : OUTLINE_ZOOM);
    void fetchBasemap()
      .then((b) => {
        this.basemapData = b;
        this.basemapShapes = this.basemap.draw(b, o.zh);
        map.attributionControl.addAttribution(b.attribution);
      })
      .catch((e: Error) => o.onError(errorText(e)));

    this.units = new UnitLayer(o.toDisplay, o.onUnitClick, (id) => o.services.units.get().get(id)?.status.online ?? false);
    map.addLayer(this.units.group);
    this.fences.addTo(map);
    this.cameras = new CameraLayer({
      toDisplay: o.toDisplay,
      fromDisplay: o.fromDisplay,
      draggable: can(o.services.user, 'cameras.manage'),
      onClick: o.onCameraClick,
      onMoved: o.onCameraMoved,
    });
    this.cameras.group.addTo(map);
    this.draw.addTo(map);
    this.track.addTo(map);
    this.alarms = new AlarmLayer(o.toDisplay, o.onAlarmClick, o.alarmLabel, o.alarmGroupLabel);
    map.addLayer(this.alarms.group);
    map.on('click', (ev: L.LeafletMouseEvent) => o.onMapClick(o.fromDisplay(ev.latlng.lat, ev.latlng.lng)));

    void this.reloadUnits();
    this.cleanups.push(
      o.services.events.subscribe((ev) => {
        switch (ev.type) {
          case 'gps.positions':
            this.units.positions(ev.positions);
            this.units.links(ev.links);
            o.onUnits();
            break;
          case 'gps.geofence.changed':
            o.onFences();
            break;
          case 'gps.camera.placed':
            o.onPlacements();
            break;
          case 'gps.tiles.changed':
            this.setTiles(ev.config);
            o.onConfig(ev.config);
            break;
          case 'unit.changed':
          case 'unit.deleted':
            void this.reloadUnits();
            break;
          case 'device.event':
            this.deviceEvent(ev.event);
            break;
          default:
            break;
        }
      }),
    );
    const tick = setInterval(() => {
      this.units.tick();
      o.onUnits();
    }, 5000);
    this.cleanups.push(() => clearInterval(tick));
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(o.el);
    this.cleanups.push(() => ro.disconnect());
  }

  private async reloadUnits(): Promise<void> {
    try {
      this.units.setAll(await gpsApi.units());
      this.o.onUnits();
    } catch (e) {
      this.o.onError(errorText(e));
    }
  }

  private deviceEvent(e: DeviceEvent): void {
    const toasts = this.o.services.toasts;
    const name = e.cameraId !== null ? (this.units.unit(e.cameraId)?.callsign ?? `#${e.cameraId}`) : '';
    if (e.type === 'geofence_enter' || e.type === 'geofence_exit') {
      const fence = String(e.detail?.geofence ?? '');
      toasts.show((tr) => tr(e.type === 'geofence_enter' ? 'gps.fence.enter' : 'gps.fence.exit', { unit: name, fence }));
    } else if (e.type === 'sos' && e.state === 'active') toasts.show((tr) => tr('gps.sos.alert', { unit: name }));
    if (e.type === 'sos' && e.cameraId !== null) {
      const u = this.units.unit(e.cameraId);
      if (u) this.units.upsert({ ...u, sos: e.state === 'active' });
    }
  }

  /** The tile layer for `c` (none without tiles: the basemap shows); a new file gets a new URL (version), so no stale cache. */
  private setTiles(c: MapConfig): void {
    const hadTiles = this.tiles !== null;
    this.tiles?.remove();
    this.tiles = null;
    this.config = c;
    if (!hasTiles(c)) return;
    const maxZoom = Math.max(c.maxZoom, 18);
    this.map.setMaxZoom(maxZoom);
    this.tiles = L.tileLayer(tileUrlWithToken(c.tileUrl), { minZoom: c.minZoom, maxZoom, maxNativeZoom: c.maxZoom }).addTo(this.map);
    // Tiles that appeared while the server ran: go where they are, as a fresh start would.
    if (!hadTiles && this.map.getZoom() < c.minZoom) {
      if (c.bounds) {
        const [w, s, e, n] = c.bounds;
        this.map.fitBounds([this.o.toDisplay(s, w), this.o.toDisplay(n, e)]);
      } else this.map.setView(this.o.toDisplay(...(c.center ?? DEFAULT_CENTER)), Math.max(c.minZoom, TILE_ZOOM));
    }
  }

  /** Redraws the province names in the console's language. */
  setLanguage(zh: boolean): void {
    if (this.basemapData) this.basemapShapes = this.basemap.draw(this.basemapData, zh);
  }

  setAlarms(alarms: Iterable<Alarm>): void {
    this.alarms.update(alarms);
  }

  setFences(fences: Geofence[], label: (f: Geofence) => HTMLElement): void {
    const { toDisplay } = this.o;
    this.fences.clearLayers();
    for (const f of fences) {
      const style = { color: f.enabled ? '#f05252' : '#8a94a6', weight: 2, fillOpacity: 0.08 };
      const shape = f.circle
        ? L.circle(toDisplay(f.circle.lat, f.circle.lon), { ...style, radius: f.circle.radiusM })
        : L.polygon(
            (f.polygon ?? []).map(([a, b]) => toDisplay(a, b)),
            style,
          );
      shape.bindTooltip(label(f)).addTo(this.fences);
    }
  }

  setPlacements(p: CameraPlacement[]): void {
    this.cameras.set(p);
  }

  /** The polygon or circle being drawn (lat/lon in WGS-84). */
  drawDraft(tool: 'polygon' | 'circle', draft: LatLon[]): void {
    const { toDisplay } = this.o;
    this.draw.clearLayers();
    if (draft.length === 0) return;
    if (tool === 'polygon')
      L.polygon(
        draft.map(([a, b]) => toDisplay(a, b)),
        { color: '#f0b429' },
      ).addTo(this.draw);
    else {
      const r = draft.length === 2 ? L.latLng(draft[0]!).distanceTo(L.latLng(draft[1]!)) : 5;
      L.circle(toDisplay(...draft[0]!), { radius: r, color: '#f0b429' }).addTo(this.draw);
    }
  }

  markPoint(lat: number, lon: number): void {
    this.draw.clearLayers();
    L.circleMarker(this.o.toDisplay(lat, lon), { radius: 6, color: '#4c8dff' }).addTo(this.draw);
  }

  showTrack(points: TrackPointView[]): void {
    this.track.clearLayers();
    this.trackMarker = null;
    if (points.length === 0) return;
    const line = L.polyline(
      points.map((p) => this.o.toDisplay(p.lat, p.lon)),
      { color: '#4c8dff', weight: 3 },
    ).addTo(this.track);
    this.map.fitBounds(line.getBounds(), { maxZoom: 17 });
  }

  moveTrackMarker(lat: number, lon: number): void {
    const ll = this.o.toDisplay(lat, lon);
    if (!this.trackMarker || !this.track.hasLayer(this.trackMarker)) {
      this.trackMarker = L.marker(ll, {
        icon: L.divIcon({ className: 'track-marker', html: '<span></span>', iconSize: [16, 16], iconAnchor: [8, 8] }),
        interactive: false,
      }).addTo(this.track);
    } else this.trackMarker.setLatLng(ll);
  }

  panTo(lat: number, lon: number): void {
    this.map.panTo(this.o.toDisplay(lat, lon));
  }

  unit(id: number): MapUnit | null {
    return this.units.unit(id);
  }

  destroy(): void {
    for (const c of this.cleanups.splice(0)) c();
    this.map.remove();
  }
}
