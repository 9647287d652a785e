// The alarms' history export as a raw HTTP mount (CSV for API clients, JSON for the console): an adapter over AlarmControl.
import { API_PREFIX } from '../../../common/api';
import { AlarmQuery } from '../../../common/alarms';
import { ALARM_EXPORT_JSON_PATH, ALARM_EXPORT_PATH } from '../../../common/endpoints/raw';
import { parse } from '../../../common/schema';
import type { AccessControl } from '../../services/access/contract';
import type { AlarmControl } from '../../services/alarms/control';
import type { AuditLog } from '../../services/audit-log';
import type { RawMount } from '../../services/features';
import { clientIp, coerceStrings, sendJson } from '../router';
import { alarmScope, seesAlarm } from './alarms';

/** Paths of the export (a raw mount: the router only answers JSON), declared in common/endpoints/raw.ts. */
export { ALARM_EXPORT_JSON_PATH, ALARM_EXPORT_PATH };

/** The export mount: any logged-in user (only the alarms they may see), GET only, the query validated like GET /alarms; every export is audited. */
export function alarmsExportMount(control: AlarmControl, audit: AuditLog, access: AccessControl): RawMount {
  return {
    prefix: `${API_PREFIX}/alarms/export.`,
    async http(req, res, url, auth) {
      if (url.pathname !== ALARM_EXPORT_PATH && url.pathname !== ALARM_EXPORT_JSON_PATH)
        return sendJson(res, 404, { error: { kind: 'not_found', message: 'no such export' } });
      const principal = await auth.principal(req, url);
      if (!principal) return sendJson(res, 401, { error: { kind: 'unauthorized', message: 'log in first' } });
      if (req.method !== 'GET') return sendJson(res, 405, { error: { kind: 'method_not_allowed', message: 'use GET' } }, { Allow: 'GET' });
      const params = [...url.searchParams].filter(([k]) => k !== 'token');
      const parsed = parse(AlarmQuery, coerceStrings(AlarmQuery, params));
      if (!parsed.ok)
        return sendJson(res, 400, {
          error: { kind: 'validation', message: parsed.errors.map((e) => `${e.path} ${e.message}`).join('; '), fields: parsed.errors },
        });
      const a = access.for(principal.user);
      const keep = (alarm: Parameters<typeof seesAlarm>[1]) => seesAlarm(a, alarm);
      if (url.pathname === ALARM_EXPORT_JSON_PATH) {
        const rows = (await control.exportRows(parsed.value, alarmScope(a))).filter(keep);
        await audit.record({ actor: principal, action: 'alarm.export', targetType: 'alarm', detail: parsed.value, ip: clientIp(req) });
        return sendJson(res, 200, rows, { 'Cache-Control': 'no-store' });
      }
      const csv = await control.exportCsv(parsed.value, alarmScope(a), keep);
      await audit.record({ actor: principal, action: 'alarm.export', targetType: 'alarm', detail: parsed.value, ip: clientIp(req) });
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="alarms.csv"');
      res.setHeader('Cache-Control', 'no-store');
      res.end(csv);
    },
  };
}
