// GPX 1.1 and KML 2.2 documents of a unit's GPS track (evidence packages).
import type { TrackPoint } from '../contracts';

const esc = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

export function toGpx(name: string, points: TrackPoint[]): string {
  const pts = points
    .map(
      (p) =>
        `      <trkpt lat="${p.lat.toFixed(7)}" lon="${p.lon.toFixed(7)}">${p.altM !== null ? `<ele>${p.altM.toFixed(1)}</ele>` : ''}<time>${new Date(p.tMs).toISOString()}</time></trkpt>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Argus" xmlns="http://www.topografix.com/GPX/1/1">
  <trk>
    <name>${esc(name)}</name>
    <trkseg>
${pts}
    </trkseg>
  </trk>
</gpx>
`;
}

export function toKml(name: string, points: TrackPoint[]): string {
  const when = points.map((p) => `        <when>${new Date(p.tMs).toISOString()}</when>`).join('\n');
  const coords = points.map((p) => `        <gx:coord>${p.lon.toFixed(7)} ${p.lat.toFixed(7)} ${p.altM?.toFixed(1) ?? 0}</gx:coord>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
  <Document>
    <name>${esc(name)}</name>
    <Placemark>
      <name>${esc(name)}</name>
      <gx:Track>
${when}
${coords}
      </gx:Track>
    </Placemark>
  </Document>
</kml>
`;
}
