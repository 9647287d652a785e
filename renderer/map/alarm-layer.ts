// Open alarms with a location drawn on the Map tab (from renderer/alarms/map-markers.ts): shape and colour by severity, flashing when unacknowledged critical or SOS.
import L from 'leaflet';
import type { Alarm } from '../../common/alarms';
import { SEV_ICON } from '../alarms/labels';
import { alarmMarkers, type AlarmMarker } from '../alarms/map-markers';

interface Entry {
  marker: L.Marker;
  /** What the icon shows; rebuilt only when it changes. */
  look: string;
}

export class AlarmLayer {
  readonly group = L.layerGroup();
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly toDisplay: (lat: number, lon: number) => [number, number],
    private readonly onClick: (alarmId: number) => void,
    private readonly label: (m: AlarmMarker) => string,
  ) {}

  /** Shows exactly the open alarms with a location; most severe drawn on top. */
  update(alarms: Iterable<Alarm>): void {
    const markers = alarmMarkers(alarms);
    const seen = new Set<number>();
    markers.forEach((m, i) => {
      seen.add(m.alarmId);
      const look = `${m.severity}|${m.flashing}|${this.label(m)}`;
      const ll = this.toDisplay(m.lat, m.lon);
      let e = this.entries.get(m.alarmId);
      if (!e) {
        const marker = L.marker(ll, { icon: this.icon(m), keyboard: true, title: this.label(m) });
        marker.on('click', () => this.onClick(m.alarmId));
        e = { marker, look };
        this.entries.set(m.alarmId, e);
        this.group.addLayer(marker);
      } else {
        e.marker.setLatLng(ll);
        if (e.look !== look) {
          e.marker.setIcon(this.icon(m));
          e.look = look;
        }
      }
      e.marker.setZIndexOffset(10_000 + i * 10); // above the units; the most severe last, on top
    });
    for (const [id, e] of this.entries) {
      if (seen.has(id)) continue;
      this.group.removeLayer(e.marker);
      this.entries.delete(id);
    }
  }

  ids(): number[] {
    return [...this.entries.keys()];
  }

  private icon(m: AlarmMarker): L.DivIcon {
    const html = `<span class="alarm-pin sev-${m.severity}" data-alarm-id="${m.alarmId}" data-severity="${m.severity}" aria-label="${escapeHtml(this.label(m))}"><span aria-hidden="true">${SEV_ICON[m.severity]}</span></span>`;
    return L.divIcon({ className: `alarm-marker alarm-sev-${m.severity}${m.flashing ? ' alarm-marker-flashing' : ''}`, html, iconSize: [26, 26], iconAnchor: [13, 13] });
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
