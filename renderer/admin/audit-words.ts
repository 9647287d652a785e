// Audit entries in the user's language: action labels, worded targets and the detail as labelled fields (no raw JSON).
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../common/accounts';
import type { AuditEntry } from '../../common/api';
import { formatBytes, formatDateTime, formatDuration } from '../format';
import { AUDIT_FIELDS } from '../i18n/audit-fields';
import { CATALOGS, type I18n, type MessageKey, type Translate } from '../i18n/index';
import { serverMessage, knowsCode } from '../i18n/server-messages';
import { auditActionKey } from '../labels';

export interface AuditField {
  key: string;
  label: string;
  value: string;
}

/** Targets with a catalog entry ('auditlog.target.<type>'). */
const TARGETS = [
  'camera',
  'unit',
  'user',
  'alarm',
  'alarm_rule',
  'export',
  'case',
  'bookmark',
  'snapshot',
  'geofence',
  'stream',
  'org_node',
  'device',
  'channel',
] as const;
/** Millisecond fields that are durations, not times. */
const DURATION_KEYS = new Set(['throttledForMs', 'timeoutMs']);
const BYTE_KEYS = new Set(['sizeBytes', 'bytes']);
/** Technical values shown as they are (hashes, addresses, paths): never looked up in the catalog. */
const VERBATIM_KEYS = new Set([
  'sha256',
  'manifestSha256',
  'url',
  'subUrl',
  'host',
  'remoteAddress',
  'streamPath',
  'dir',
  'file',
  'range',
  'username',
  'name',
  'callsign',
  'note',
  'title',
  'reference',
  'caseReference',
  'description',
  'displayName',
  'officer',
  'groupName',
  'source',
  'manufacturer',
  'model',
  'serial',
]);

function has(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(CATALOGS.en, key);
}

export function auditActionLabel(t: Translate, action: string): string {
  const key = auditActionKey(action);
  return key ? t(key) : action;
}

/** The name the entry's detail gives its target (camera name, username, call sign, rule name, alarm source), if any. */
function targetName(e: AuditEntry): string | null {
  const d = e.detail;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return null;
  const r = d as Record<string, unknown>;
  for (const k of ['name', 'username', 'callsign', 'reference', 'caseReference', 'source']) if (typeof r[k] === 'string' && r[k]) return r[k] as string;
  return null;
}

/** "Camera 3 · Gate", "Alarm #35", "User 2 · ann"; '' without a target. */
export function auditTargetLabel(t: Translate, e: AuditEntry): string {
  if (!e.targetType) return '';
  const id = e.targetId ?? '';
  const type = (TARGETS as readonly string[]).includes(e.targetType) ? e.targetType : 'other';
  const target = t(`auditlog.target.${type}` as 'auditlog.target.other', { id });
  const name = targetName(e);
  return name ? t('auditlog.target.named', { target, name }) : target;
}

/** A catalog word for a value of a known enumeration, or null. */
function enumWord(i18n: I18n, key: string, v: string, action: string): string | null {
  const { t } = i18n;
  const tryKey = (k: string) => (has(k) ? t(k as 'common.none') : null);
  switch (key) {
    case 'type':
    case 'types':
      return action.startsWith('unit.') ? tryKey(`unitType.${v}`) : tryKey(`alarms.type.${v}`);
    case 'severity':
    case 'minSeverity':
      return tryKey(`alarms.sev.${v}`);
    case 'from':
    case 'to':
    case 'state':
      return action.startsWith('alarm.') ? tryKey(`alarms.state.${v}`) : null;
    case 'role':
      return tryKey(`role.${v}`);
    case 'by': {
      // The system actor of a PTZ step: "idle timeout", "lost release", "alarm 35" (main/services/onvif, alarms).
      const alarm = /^alarm (\d+)$/.exec(v);
      if (alarm) return t('auditlog.target.alarm', { id: alarm[1]! });
      if (v === 'idle timeout') return t('auditlog.val.idle_timeout');
      if (v === 'lost release') return t('auditlog.val.lost_release');
      break;
    }
    case 'reason':
      if (v === 'move timeout') return t('auditlog.val.move_timeout');
      if (v.startsWith('password.') && knowsCode(v)) return serverMessage(i18n.lang, v, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH }, v);
      break;
  }
  return tryKey(`auditlog.val.${v}`);
}

/** One value in the user's language: times via formatDateTime, enumerations worded, nested values as labelled parts. */
export function auditValue(i18n: I18n, key: string, v: unknown, action: string): string {
  const { t } = i18n;
  if (v === null || v === undefined) return t('common.none');
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'number') {
    if (DURATION_KEYS.has(key)) return formatDuration(i18n, v);
    if (BYTE_KEYS.has(key)) return formatBytes(i18n, v);
    if (/Ms$/.test(key)) return formatDateTime(v);
    return String(v);
  }
  if (typeof v === 'string') {
    if (v === '') return t('auditlog.val.empty');
    if (VERBATIM_KEYS.has(key) && !(key === 'source' && (v === 'live' || v === 'playback'))) return v;
    return enumWord(i18n, key, v, action) ?? v;
  }
  if (Array.isArray(v)) return v.length === 0 ? t('common.none') : v.map((x) => auditValue(i18n, key, x, action)).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 2 && 'from' in o && 'to' in o)
      return t('auditlog.change', { from: auditValue(i18n, key, o.from, action), to: auditValue(i18n, key, o.to, action) });
    return keys.map((k) => `${fieldLabel(t, k)}: ${auditValue(i18n, k, o[k], action)}`).join('; ');
  }
  return String(v);
}

export function fieldLabel(t: Translate, key: string): string {
  return AUDIT_FIELDS.has(key) ? t(`auditlog.field.${key}` as 'auditlog.field.name') : key;
}

/** The entry's detail as labelled fields in the user's language; a `changes` object becomes one field per change. */
export function auditDetailFields(i18n: I18n, e: AuditEntry): AuditField[] {
  const d = e.detail;
  if (d === null || d === undefined) return [];
  if (typeof d !== 'object' || Array.isArray(d)) return [{ key: 'detail', label: i18n.t('audit.col.detail'), value: auditValue(i18n, 'detail', d, e.action) }];
  const out: AuditField[] = [];
  for (const [k, v] of Object.entries(d as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (k === 'changes' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [ck, cv] of Object.entries(v as Record<string, unknown>))
        out.push({ key: ck, label: fieldLabel(i18n.t, ck), value: auditValue(i18n, ck, cv, e.action) });
      continue;
    }
    out.push({ key: k, label: fieldLabel(i18n.t, k), value: auditValue(i18n, k, v, e.action) });
  }
  return out;
}

/** The detail on one line ("Name: Gate; Enabled: Yes"), for the CSV and tooltips. */
export function auditDetailText(i18n: I18n, e: AuditEntry): string {
  return auditDetailFields(i18n, e)
    .map((f) => `${f.label}: ${f.value}`)
    .join('; ');
}
