// Fixed cameras on the map: an SVG camera icon with the camera's name beside it, its view direction, draggable for admins.
import L from 'leaflet';
import type { CameraPlacement } from '../../common/gps';
import { cameraIconSvg } from './marker-icons';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface CameraLayerOptions {
  toDisplay: (lat: number, lon: number) => [number, number];
  fromDisplay: (lat: number, lon: number) => [number, number];
  draggable: boolean;
  onClick: (cameraId: number) => void;
  onMoved: (p: CameraPlacement, lat: number, lon: number) => void;
}

export class CameraLayer {
  readonly group = L.layerGroup();

  constructor(private readonly o: CameraLayerOptions) {}

  set(placements: CameraPlacement[]): void {
    const { toDisplay, fromDisplay } = this.o;
    this.group.clearLayers();
    for (const p of placements) {
      const m = L.marker(toDisplay(p.lat, p.lon), {
        draggable: this.o.draggable,
        icon: L.divIcon({
          className: 'camera-marker',
          html: `<span class="camera-glyph" data-camera-id="${p.cameraId}">${cameraIconSvg()}</span><span class="camera-label">${esc(p.name)}</span>`,
          iconSize: [22, 22],
          iconAnchor: [11, 11],
        }),
      });
      const tip = document.createElement('span');
      tip.textContent = p.name; // as text: names come from users
      m.bindTooltip(tip);
      m.on('click', () => this.o.onClick(p.cameraId));
      m.on('dragend', () => {
        const ll = m.getLatLng();
        const [lat, lon] = fromDisplay(ll.lat, ll.lng);
        this.o.onMoved(p, lat, lon);
      });
      m.addTo(this.group);
      if (p.viewDeg !== null) {
        const d = 0.0008;
        const rad = (p.viewDeg * Math.PI) / 180;
        const tip = toDisplay(p.lat + d * Math.cos(rad), p.lon + (d * Math.sin(rad)) / Math.cos((p.lat * Math.PI) / 180));
        L.polyline([toDisplay(p.lat, p.lon), tip], { color: '#4c8dff', weight: 3, interactive: false }).addTo(this.group);
      }
    }
  }
}
