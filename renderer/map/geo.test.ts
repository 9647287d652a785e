// Tests of the map geometry: distances, boxes, point in polygon, and WGS-84 → GCJ-02 on published reference coordinates.
import { describe, expect, it } from 'vitest';
import { boundingBox, distanceM, gcj02ToWgs84, insidePolygon, wgs84ToGcj02 } from '../../common/geo';

describe('geo', () => {
  it('measures great-circle distances', () => {
    expect(distanceM(0, 0, 0, 1)).toBeCloseTo(111_195, -1); // one degree of longitude on the equator
    expect(distanceM(31.2304, 121.4737, 39.9042, 116.4074)).toBeGreaterThan(1_060_000); // Shanghai–Beijing ≈ 1,067 km
    expect(distanceM(31.2304, 121.4737, 39.9042, 116.4074)).toBeLessThan(1_075_000);
  });

  it('builds a box that contains the circle', () => {
    const b = boundingBox(31.2, 121.5, 500);
    for (const [dLat, dLon] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ] as const) {
      // a point 499 m away in each direction lies inside the box
      const lat = 31.2 + (dLat * 499) / 111_195;
      const lon = 121.5 + (dLon * 499) / (111_195 * Math.cos((31.2 * Math.PI) / 180));
      expect(distanceM(31.2, 121.5, lat, lon)).toBeLessThan(500);
      expect(lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon).toBe(true);
    }
  });

  it('tells points inside a polygon from points outside', () => {
    const square: Array<[number, number]> = [
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
    ];
    expect(insidePolygon(0.5, 0.5, square)).toBe(true);
    expect(insidePolygon(1.5, 0.5, square)).toBe(false);
    expect(insidePolygon(0.5, -0.1, square)).toBe(false);
  });

  it('converts WGS-84 to GCJ-02 like the reference implementation (coordtransform)', () => {
    // Reference pair from wandergis/coordtransform's test (also used by hutool's CoordinateUtilTest): Beijing.
    const [lat, lon] = wgs84ToGcj02(39.915, 116.404);
    expect(lat).toBeCloseTo(39.91640428150164, 10);
    expect(lon).toBeCloseTo(116.41024449916938, 10);
    // A second published pair (40.0 N, 116.0 E).
    const [latB, lonB] = wgs84ToGcj02(40.0, 116.0);
    expect(latB).toBeCloseTo(40.001213650174, 6); // that library rounds π differently: agree to ~1 cm
    expect(lonB).toBeCloseTo(116.006141221789, 6);
    const [lat2, lon2] = wgs84ToGcj02(31.2304, 121.4737);
    // Shanghai: the offset is a few hundred metres, north-east
    expect(distanceM(31.2304, 121.4737, lat2, lon2)).toBeGreaterThan(300);
    expect(distanceM(31.2304, 121.4737, lat2, lon2)).toBeLessThan(700);
  });

  it('leaves positions outside China unchanged and inverts the transform', () => {
    expect(wgs84ToGcj02(48.8566, 2.3522)).toEqual([48.8566, 2.3522]);
    const [gLat, gLon] = wgs84ToGcj02(22.5431, 114.0579);
    const [wLat, wLon] = gcj02ToWgs84(gLat, gLon);
    expect(distanceM(wLat, wLon, 22.5431, 114.0579)).toBeLessThan(0.01);
  });
});
