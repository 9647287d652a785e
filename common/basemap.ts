// The built-in offline basemap's wire format (GET /api/v1/gps/basemap): country and province outlines as flat rings, major cities.

export interface BasemapArea {
  /** ISO 3166-1 numeric (countries) or ISO 3166-2 (provinces). */
  id: string;
  name: string;
  nameZh: string | null;
  /** Where the name is drawn, [lat, lon]; null: no label. */
  label: [number, number] | null;
  /** Polygons; each is its rings (outer first, then holes); each ring is flat [lon, lat, lon, lat, ...] in WGS-84. */
  polys: number[][][];
}

export interface BasemapCity {
  name: string;
  nameZh: string;
  lat: number;
  lon: number;
  /** Capital of the country or of a province. */
  capital: boolean;
}

export interface Basemap {
  version: 1;
  sources: Array<{ name: string; licence: string; layer: string }>;
  /** Shown in the map's attribution corner. */
  attribution: string;
  countries: BasemapArea[];
  provinces: BasemapArea[];
  /** China's provincial capitals and largest cities. */
  cities: BasemapCity[];
}
