// An alarm action outcome in the user's language, from its code and params (outcomes stored before codes show their text as it is).
import { ALARM_OUTCOME_REASONS, type AlarmActionOutcome, type AlarmOutcomeReason } from '../../common/alarms';
import { ROLES, type Role } from '../../common/api';
import type { Translate } from '../i18n/index';
import { roleKey } from '../labels';

/** The name of a camera or unit by id, when the console knows it. */
export type SourceName = (id: number) => string | null;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function camera(t: Translate, id: unknown, nameOf: SourceName): string {
  const n = num(id);
  if (n === null) return t('common.none');
  return nameOf(n) ?? t('alarmout.cameraRef', { id: n });
}

function roleWord(t: Translate, r: string): string {
  return (ROLES as readonly string[]).includes(r) ? t(roleKey(r as Role)) : r;
}

function reasonText(t: Translate, p: AlarmActionOutcome['params']): string {
  const r = (ALARM_OUTCOME_REASONS as readonly unknown[]).includes(p.reason) ? (p.reason as AlarmOutcomeReason) : 'error';
  return r === 'timeout' ? t('alarmout.reason.timeout', { seconds: num(p.timeoutS) ?? '?' }) : t(`alarmout.reason.${r}`);
}

/** What the action did (or tried to do), worded; a failed one adds why. */
export function outcomeText(t: Translate, a: AlarmActionOutcome, nameOf: SourceName = () => null): string {
  const p = a.params ?? {};
  let what: string;
  switch (a.code) {
    case null:
    case undefined:
      return a.message; // stored before outcome codes: shown as it was written
    case 'wall': {
      const tile = num(p.tile);
      const cam = camera(t, p.cameraId, nameOf);
      const window = num(p.window) ?? 0;
      what =
        window === 0
          ? tile === null
            ? t('alarmout.wall.live.free', { camera: cam })
            : t('alarmout.wall.live.tile', { camera: cam, tile })
          : tile === null
            ? t('alarmout.wall.display.free', { camera: cam, window })
            : t('alarmout.wall.display.tile', { camera: cam, window, tile });
      break;
    }
    case 'sound':
      what = t('alarmout.sound');
      break;
    case 'desktop':
      what = t('alarmout.desktop');
      break;
    case 'notify': {
      const roles = String(p.roles ?? '')
        .split(',')
        .filter(Boolean)
        .map((r) => roleWord(t, r));
      const users = String(p.users ?? '')
        .split(',')
        .filter(Boolean)
        .map((u) => t('alarmout.cameraRef', { id: u }));
      what = [
        roles.length ? t('alarmout.notify.roles', { roles: roles.join(', ') }) : '',
        users.length ? t('alarmout.notify.users', { users: users.join(', ') }) : '',
      ]
        .filter(Boolean)
        .join('; ');
      break;
    }
    case 'ptz_preset':
      what = t('alarmout.ptz_preset', { preset: num(p.presetId) ?? '?', camera: camera(t, p.cameraId, nameOf) });
      break;
    case 'bookmark':
      what = t('alarmout.bookmark', { camera: camera(t, p.cameraId, nameOf), before: num(p.beforeS) ?? 0, after: num(p.afterS) ?? 0 });
      break;
    case 'snapshot':
      what = t('alarmout.snapshot', { camera: camera(t, p.cameraId, nameOf) });
      break;
    case 'escalate':
      what = t('alarmout.escalate', { waited: num(p.waitedS) ?? 0, role: roleWord(t, String(p.role ?? '')) });
      break;
    case 'no_camera':
      return t('alarmout.no_camera');
    default:
      return a.message; // a code from a newer server: its English text rather than nothing
  }
  return a.status === 'failed' ? t('alarmout.failedBecause', { what, reason: reasonText(t, p) }) : what;
}
