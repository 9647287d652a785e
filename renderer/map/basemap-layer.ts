// The built-in offline basemap (GET /api/v1/gps/basemap) as Leaflet vectors in a pane under the tiles: never a blank map.
import L from 'leaflet';
import { BASEMAP_PATH } from '../../common/endpoints/raw';
import type { Basemap, BasemapArea } from '../../common/basemap';
import { currentToken } from '../session';

/** Below Leaflet's tilePane (200): tiles, where there are any, cover the outlines. */
export const BASEMAP_PANE = 'basemap';
const LABEL_PANE = 'basemap-labels';
/** Zooms at which names are drawn: wider, they clutter the country view; closer, a province name is noise. */
const PROVINCE_ZOOMS: [number, number] = [5, 9];
const CITY_ZOOMS: [number, number] = [5, 13];

export async function fetchBasemap(): Promise<Basemap> {
  const token = currentToken();
  const started = performance.now();
  const res = await fetch(BASEMAP_PATH, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const b = (await res.json()) as Basemap;
  performance.measure('argus.basemap.fetch', { start: started, end: performance.now() });
  return b;
}

type ToDisplay = (lat: number, lon: number) => [number, number];

function latLngs(area: BasemapArea, toDisplay: ToDisplay): L.LatLngExpression[][][] {
  return area.polys.map((poly) =>
    poly.map((ring) => {
      const out: L.LatLngExpression[] = [];
      for (let i = 0; i + 1 < ring.length; i += 2) out.push(toDisplay(ring[i + 1]!, ring[i]!));
      return out;
    }),
  );
}

export class BasemapLayer {
  readonly group = L.layerGroup();
  private readonly provinceLabels = L.layerGroup();
  private readonly cityLabels = L.layerGroup();

  constructor(
    private readonly map: L.Map,
    private readonly toDisplay: ToDisplay,
  ) {
    if (!map.getPane(BASEMAP_PANE)) map.createPane(BASEMAP_PANE).style.zIndex = '150';
    if (!map.getPane(LABEL_PANE)) {
      const p = map.createPane(LABEL_PANE);
      p.style.zIndex = '160';
      p.style.pointerEvents = 'none';
    }
    this.group.addTo(map);
    map.on('zoomend', () => this.syncLabels());
  }

  /** Draws the outlines and cities; `zh`: names in Chinese. Returns the number of vector shapes drawn. */
  draw(b: Basemap, zh: boolean): number {
    const started = performance.now();
    this.group.clearLayers();
    this.provinceLabels.clearLayers();
    this.cityLabels.clearLayers();
    const renderer = L.svg({ pane: BASEMAP_PANE, padding: 0.5 });
    const country = { renderer, pane: BASEMAP_PANE, interactive: false, color: '#3a4657', weight: 1, fillColor: '#1a222d', fillOpacity: 1, smoothFactor: 1.5 };
    const province = { ...country, color: '#4a5a70', fillColor: '#1d2733', weight: 1, dashArray: '4 3' };
    for (const c of b.countries) L.polygon(latLngs(c, this.toDisplay), country).addTo(this.group);
    for (const p of b.provinces) {
      L.polygon(latLngs(p, this.toDisplay), province).addTo(this.group);
      if (!p.label) continue;
      this.label(p.label, zh ? (p.nameZh ?? p.name) : p.name, 'basemap-label').addTo(this.provinceLabels);
    }
    for (const c of b.cities) {
      this.label([c.lat, c.lon], zh ? c.nameZh : c.name, `basemap-city${c.capital ? ' basemap-capital' : ''}`).addTo(this.cityLabels);
    }
    this.syncLabels();
    // Measured (performance entries 'argus.basemap.draw'): what the outlines cost the console.
    performance.measure('argus.basemap.draw', { start: started, end: performance.now() });
    return b.countries.length + b.provinces.length;
  }

  private label(at: [number, number], text: string, className: string): L.Marker {
    const el = document.createElement('span');
    el.textContent = text; // as text, never HTML
    return L.marker(this.toDisplay(...at), {
      pane: LABEL_PANE,
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className, html: el, iconSize: undefined as unknown as L.PointExpression }),
    });
  }

  private syncLabels(): void {
    const z = this.map.getZoom();
    for (const [g, [lo, hi]] of [
      [this.provinceLabels, PROVINCE_ZOOMS],
      [this.cityLabels, CITY_ZOOMS],
    ] as const) {
      const show = z >= lo && z <= hi;
      if (show && !this.map.hasLayer(g)) g.addTo(this.map);
      if (!show && this.map.hasLayer(g)) g.remove();
    }
  }

  remove(): void {
    this.group.remove();
    this.provinceLabels.remove();
    this.cityLabels.remove();
  }
}
