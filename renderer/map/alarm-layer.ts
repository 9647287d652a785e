// Open alarms with a location drawn on the Map tab (from renderer/alarms/map-markers.ts): shape and colour by severity, flashing when unacknowledged critical or SOS.
// Alarms whose pins would overlap are one pin with their count in the most severe one's colour (flashing if any flashes);
// a click on it zooms in, and where they share one place spreads them out (leaflet.markercluster's spiderfy).
import L from 'leaflet';
import 'leaflet.markercluster';
import { severityRank, type Alarm } from '../../common/alarms';
import { SEV_ICON } from '../alarms/labels';
import { alarmMarkers, type AlarmMarker } from '../alarms/map-markers';

interface Entry {
  marker: L.Marker;
  m: AlarmMarker;
  /** What the icon shows; rebuilt only when it changes. */
  look: string;
}

/** Pins closer than this many pixels are grouped (a pin is 26 px wide). */
const GROUP_RADIUS_PX = 24;

export class AlarmLayer {
  readonly group: L.MarkerClusterGroup;
  private readonly entries = new Map<number, Entry>();
  private readonly byMarker = new WeakMap<L.Marker, Entry>();

  constructor(
    private readonly toDisplay: (lat: number, lon: number) => [number, number],
    private readonly onClick: (alarmId: number) => void,
    private readonly label: (m: AlarmMarker) => string,
    private readonly groupLabel: (count: number) => string,
  ) {
    this.group = L.markerClusterGroup({
      maxClusterRadius: GROUP_RADIUS_PX,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: true,
      spiderfyDistanceMultiplier: 1.6,
      iconCreateFunction: (cluster) => this.groupIcon(cluster.getAllChildMarkers()),
    });
  }

  /** Shows exactly the open alarms with a location; most severe drawn on top. */
  update(alarms: Iterable<Alarm>): void {
    const markers = alarmMarkers(alarms);
    const seen = new Set<number>();
    const changed: L.Marker[] = [];
    markers.forEach((m, i) => {
      seen.add(m.alarmId);
      const look = `${m.severity}|${m.flashing}|${this.label(m)}`;
      const ll = this.toDisplay(m.lat, m.lon);
      let e = this.entries.get(m.alarmId);
      if (!e) {
        const marker = L.marker(ll, { icon: this.icon(m), keyboard: true, title: this.label(m) });
        marker.on('click', () => this.onClick(m.alarmId));
        e = { marker, m, look };
        this.entries.set(m.alarmId, e);
        this.byMarker.set(marker, e);
        this.group.addLayer(marker);
      } else {
        e.m = m;
        e.marker.setLatLng(ll);
        if (e.look !== look) {
          e.marker.setIcon(this.icon(m));
          e.look = look;
          changed.push(e.marker);
        }
      }
      e.marker.setZIndexOffset(10_000 + i * 10); // above the units; the most severe last, on top
    });
    for (const [id, e] of this.entries) {
      if (seen.has(id)) continue;
      this.group.removeLayer(e.marker);
      this.entries.delete(id);
    }
    if (changed.length > 0) this.group.refreshClusters(changed);
  }

  ids(): number[] {
    return [...this.entries.keys()];
  }

  private icon(m: AlarmMarker): L.DivIcon {
    const html = `<span class="alarm-pin sev-${m.severity}" data-alarm-id="${m.alarmId}" data-severity="${m.severity}" aria-label="${escapeHtml(this.label(m))}"><span aria-hidden="true">${SEV_ICON[m.severity]}</span></span>`;
    return L.divIcon({
      className: `alarm-marker alarm-sev-${m.severity}${m.flashing ? ' alarm-marker-flashing' : ''}`,
      html,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
  }

  private groupIcon(children: L.Marker[]): L.DivIcon {
    const list = children.map((c) => this.byMarker.get(c)?.m).filter((m): m is AlarmMarker => !!m);
    list.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.alarmId - a.alarmId); // rank 0 = critical
    const top = list[0];
    const sev = top?.severity ?? 'info';
    const flashing = list.some((m) => m.flashing);
    const ids = list.map((m) => m.alarmId).join(',');
    const html = `<span class="alarm-pin alarm-group sev-${sev}" data-alarm-ids="${ids}" data-count="${list.length}" data-severity="${sev}" aria-label="${escapeHtml(this.groupLabel(list.length))}" title="${escapeHtml(this.groupLabel(list.length))}"><span class="alarm-count">${list.length}</span></span>`;
    return L.divIcon({
      className: `alarm-marker alarm-group-marker alarm-sev-${sev}${flashing ? ' alarm-marker-flashing' : ''}`,
      html,
      iconSize: [30, 30],
      iconAnchor: [15, 15],
    });
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
