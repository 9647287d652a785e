// The text of test/fixtures/datadir-r1/FIXTURE.md, written by scripts/make-datadir-fixture.ts from the ids it recorded.
import type { FixtureManifest } from '../test/helpers/datadir-fixture';

export function fixtureReadme(m: FixtureManifest, sizeKb: number): string {
  const seg = Object.entries(m.segments)
    .map(([src, ids]) => `  - source ${src}: segments ${ids.join(', ')}`)
    .join('\n');
  const gps = Object.entries(m.gpsPoints)
    .map(([u, t]) => `  - unit ${u}: ${t.length} points, ${new Date(t[0]!).toISOString()} .. ${new Date(t.at(-1)!).toISOString()}`)
    .join('\n');
  return `# Data directory fixture r1

A data directory made by the Argus server as it was at commit \`${m.madeBy.commit}\`${m.madeBy.dirty ? ' (with uncommitted changes)' : ''}
on ${new Date(m.madeBy.madeMs).toISOString()}, by \`scripts/make-datadir-fixture.ts\`: the real server process in a temp
directory, driven through its HTTP API, recording real sources (GStreamer RTSP cameras, an ffmpeg RTMP publisher as the
unit), then stopped cleanly (SIGTERM, exit 0). ${sizeKb} KiB.

\`test/e2e/datadir-upgrade.test.ts\` copies \`argus-data/\` to a temp dir, starts today's server on it and finds everything
below through the public API, by id. A later release must keep that test passing (old API paths included): this is
"a data directory made by the current release" of issue 17 item 3. Never edit these files by hand; the server must read
them as an older release left them.

## Files
- \`argus-data/\`: the data directory (\`argus.db\`, \`argus.json\`, \`recordings/\`, \`snapshots/\`, \`exports/\`, \`export-index/\`).
  \`argus.json\` sets \`gpsRetentionDays: 0\` (keep GPS forever; otherwise its points would age out a year after
  it was made) and \`segmentSeconds: 2\`; every camera and unit keeps recordings for 3650 days.
- \`ids.json\`: every id below, machine-readable (read by the test through \`test/helpers/datadir-fixture.ts\`).

## Contents and ids
- Users: \`admin\` (password \`${m.adminPassword}\`), \`${m.investigator.username}\` (${m.investigator.role}, password \`${m.investigator.password}\`).
- Cameras: ${m.cameras.gate} "Gate North" (H.264 + AAC, disabled, placed on the map at 39.9042, 116.4074 looking 135°,
  group "North yard"); ${m.cameras.dock} "Dock East" (H.264, enabled, its address now \`rtsp://127.0.0.1:9/dock\` where
  nothing answers: an enabled camera that is offline); ${m.cameras.ptz} "Yard PTZ" (H.264, disabled), made from ONVIF device
  ${m.onvif.device} (the ONVIF simulator FixtureCam PTZ-1, serial FX0017, password stored encrypted with \`argus-data/onvif.key\`;
  the device is not reachable when the fixture is read) with PTZ presets ${m.onvif.presets.join(', ')} and tour ${m.onvif.tour} (not running).
- Units: ${m.units.patrol} "PATROL-7" (vehicle, recorded over RTMP, GPS drive), ${m.units.body} "BODY-12" (body camera,
  GPS only, no video). Units and cameras share one id space.
- Segments (all closed, 2 s each, 320x180 at 10 fps, about 120 kbit/s):
${seg}
- GPS points (HTTP telemetry batches):
${gps}
- Wall layout ${m.layout} "Fixture wall" (admin's, layout 4: gate, dock, patrol, empty).
- Case ${m.caseId} "${m.caseReference}" (by ${m.investigator.username}) with bookmark ${m.bookmark}, snapshot ${m.snapshot}
  and export ${m.exportId} (\`${m.exportDir}\`: gate camera and patrol unit, MP4 by stream copy, GPX/KML track);
  legal hold ${m.hold} on it, protecting ${m.heldSegments} segments.
- Alarm rule ${m.alarmRule} "Dock to wall"; geofence ${m.geofence} "Depot".
- Alarms: ${m.alarms.closed} (manual, dock camera, acknowledged then closed with notes), ${m.alarms.open} (manual,
  patrol unit, critical, left open). Other alarms the server raised by itself may exist too.
- Audit: ${m.auditActions.length} rows (ids ${Math.min(...m.auditActions.map((a) => a.id))}..${Math.max(...m.auditActions.map((a) => a.id))}), each listed with its action in \`ids.json\`.

## Regenerate
Only to add something the fixture lacks, and then as a new fixture (\`datadir-r2\`), never over this one once a release
has changed the model: \`npx tsx scripts/make-datadir-fixture.ts --out test/fixtures/datadir-r2\` (about 15 s; needs
ffmpeg, GStreamer's RTSP server and python3-gi as the tests do), commit the script's tree at a clean commit first so
\`ids.json\` names it.
`;
}
