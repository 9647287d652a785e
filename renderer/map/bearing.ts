// The compass bearing between two points, for a placed camera's view direction.

/** The direction from a to b in degrees clockwise from north. */
export function bearingDeg([alat, alon]: [number, number], [lat, lon]: [number, number]): number {
  const r = Math.PI / 180;
  const y = Math.sin((lon - alon) * r) * Math.cos(lat * r);
  const x = Math.cos(alat * r) * Math.sin(lat * r) - Math.sin(alat * r) * Math.cos(lat * r) * Math.cos((lon - alon) * r);
  return (Math.atan2(y, x) / r + 360) % 360;
}
