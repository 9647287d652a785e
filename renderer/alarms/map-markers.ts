// Open alarms with a known location as map markers (for the Map tab of the GPS/map feature: it draws these at their place).
import { severityRank, type Alarm, type AlarmSeverity, type AlarmType } from '../../common/alarms';

export interface AlarmMarker {
  alarmId: number;
  lat: number;
  lon: number;
  severity: AlarmSeverity;
  type: AlarmType;
  sourceId: number | null;
  sourceName: string;
  /** Unacknowledged critical alarms and SOS flash. */
  flashing: boolean;
}

/** Markers of the open alarms that have a location, most severe last (drawn on top). */
export function alarmMarkers(alarms: Iterable<Alarm>): AlarmMarker[] {
  const out: AlarmMarker[] = [];
  for (const a of alarms) {
    if (a.state === 'closed' || a.lat === null || a.lon === null) continue;
    out.push({
      alarmId: a.id,
      lat: a.lat,
      lon: a.lon,
      severity: a.severity,
      type: a.type,
      sourceId: a.sourceId,
      sourceName: a.sourceName,
      flashing: a.state === 'new' && (a.severity === 'critical' || a.type === 'sos'),
    });
  }
  return out.sort((x, y) => severityRank(y.severity) - severityRank(x.severity));
}
