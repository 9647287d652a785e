// Unit markers on the Leaflet map, managed imperatively (thousands of markers update every second): icon, heading, callsign, status.
import L from 'leaflet';
import 'leaflet.markercluster';
import type { MapUnit, UnitPosition } from '../../common/gps';
import { statusShapeSvg, unitIconSvg } from './marker-icons';
import { unitMapStatus, type UnitMapStatus } from './unit-status';

interface Entry {
  marker: L.Marker;
  unit: MapUnit;
  status: UnitMapStatus | null;
  el: HTMLElement | null;
}

export class UnitLayer {
  readonly group: L.MarkerClusterGroup;
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly toDisplay: (lat: number, lon: number) => [number, number],
    private readonly onClick: (unitId: number) => void,
    private readonly videoOnline: (unitId: number) => boolean,
  ) {
    this.group = L.markerClusterGroup({ chunkedLoading: true, disableClusteringAtZoom: 16, maxClusterRadius: 50, showCoverageOnHover: false });
  }

  /** Replaces the whole set (initial load). */
  setAll(units: MapUnit[]): void {
    const seen = new Set<number>();
    for (const u of units) {
      seen.add(u.unitId);
      this.upsert(u);
    }
    for (const id of [...this.entries.keys()]) if (!seen.has(id)) this.remove(id);
  }

  unit(id: number): MapUnit | null {
    return this.entries.get(id)?.unit ?? null;
  }

  units(): MapUnit[] {
    return [...this.entries.values()].map((e) => e.unit);
  }

  upsert(u: MapUnit): void {
    const e = this.entries.get(u.unitId);
    if (!e) {
      if (!u.position) {
        this.entries.set(u.unitId, { marker: null as unknown as L.Marker, unit: u, status: null, el: null });
        return;
      }
      const marker = L.marker(this.toDisplay(u.position.lat, u.position.lon), { icon: this.icon(u), keyboard: false });
      marker.on('click', () => this.onClick(u.unitId));
      this.entries.set(u.unitId, { marker, unit: u, status: null, el: null });
      this.group.addLayer(marker);
      this.refresh(u.unitId, Date.now());
      return;
    }
    e.unit = u;
    if (!e.marker && u.position) {
      this.entries.delete(u.unitId);
      this.upsert(u);
      return;
    }
    this.refresh(u.unitId, Date.now());
  }

  /** New live positions (from gps.positions). */
  positions(list: UnitPosition[]): void {
    const now = Date.now();
    for (const p of list) {
      const e = this.entries.get(p.unitId);
      if (!e) continue;
      e.unit = { ...e.unit, position: p, sos: p.sos, lastSeenMs: now };
      if (!e.marker) {
        this.entries.delete(p.unitId);
        this.upsert(e.unit);
        continue;
      }
      e.marker.setLatLng(this.toDisplay(p.lat, p.lon));
      this.refresh(p.unitId, now);
    }
  }

  links(list: Array<{ unitId: number; linkUp: boolean; lastSeenMs: number | null }>): void {
    const now = Date.now();
    for (const l of list) {
      const e = this.entries.get(l.unitId);
      if (!e) continue;
      e.unit = { ...e.unit, linkUp: l.linkUp, lastSeenMs: l.lastSeenMs };
      if (e.marker) this.refresh(l.unitId, now);
    }
  }

  /** Re-evaluates every marker's status (stale after 60 s); cheap when nothing changed. */
  tick(): void {
    const now = Date.now();
    for (const id of this.entries.keys()) this.refresh(id, now);
  }

  private refresh(id: number, now: number): void {
    const e = this.entries.get(id);
    if (!e || !e.marker) return;
    const status = unitMapStatus(e.unit, now, this.videoOnline(id));
    if (status !== e.status) {
      e.status = status;
      e.marker.setIcon(this.icon(e.unit, status));
    }
    const el = e.marker.getElement();
    const arrow = el?.querySelector<HTMLElement>('.unit-heading');
    if (arrow) {
      const h = e.unit.position?.headingDeg;
      arrow.style.display = h == null ? 'none' : '';
      if (h != null) arrow.style.transform = `rotate(${Math.round(h)}deg)`;
    }
  }

  private icon(u: MapUnit, status: UnitMapStatus = unitMapStatus(u, Date.now(), this.videoOnline(u.unitId))): L.DivIcon {
    const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return L.divIcon({
      className: `unit-marker unit-${status}`,
      html:
        (u.position?.headingDeg == null
          ? '<span class="unit-heading" style="display: none"></span>'
          : `<span class="unit-heading" style="transform: rotate(${Math.round(u.position.headingDeg)}deg)"></span>`) +
        `<span class="unit-glyph" data-unit-id="${u.unitId}" data-unit-type="${u.type}">${unitIconSvg(u.type)}</span>` +
        `<span class="unit-label">${statusShapeSvg(status)}${esc(u.callsign)}</span>`,
      iconSize: [28, 28],
      iconAnchor: [14, 14],
    });
  }

  remove(id: number): void {
    const e = this.entries.get(id);
    if (e?.marker) this.group.removeLayer(e.marker);
    this.entries.delete(id);
  }

  statusOf(id: number): UnitMapStatus | null {
    return this.entries.get(id)?.status ?? null;
  }
}
