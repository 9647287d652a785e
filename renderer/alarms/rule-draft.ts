// The rule editor's form state (Draft) and its conversion from a rule and to the API body; pure, no rendering.
import type { AlarmRule, AlarmRuleBody, AlarmSeverity, AlarmType } from '../../common/alarms';
import type { Role } from '../../common/api';

/** The editor's form state (strings for number inputs, so a half-typed value is not lost). */
export interface Draft {
  name: string;
  enabled: boolean;
  sourceIds: number[];
  groups: string[];
  types: AlarmType[];
  minSeverity: AlarmSeverity;
  scheduleOn: boolean;
  days: number[];
  start: string;
  end: string;
  wallOn: boolean;
  window: string;
  tile: string;
  ptzOn: boolean;
  ptzCamera: string;
  preset: string;
  bookmarkOn: boolean;
  before: string;
  after: string;
  snapshot: boolean;
  sound: boolean;
  desktop: boolean;
  notifyRoles: Role[];
  escalateOn: boolean;
  escalateAfter: string;
  escalateRole: Role;
}

export const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutes = (v: string) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(v);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
};

export function draftOf(r: AlarmRule | null): Draft {
  const a = r?.actions ?? {};
  return {
    name: r?.name ?? '',
    enabled: r?.enabled ?? true,
    sourceIds: r?.sourceIds ?? [],
    groups: r?.groups ?? [],
    types: r?.types ?? [],
    minSeverity: r?.minSeverity ?? 'info',
    scheduleOn: !!r?.schedule,
    days: r?.schedule?.days ?? [1, 2, 3, 4, 5],
    start: hhmm(r?.schedule?.startMinute ?? 8 * 60),
    end: hhmm(r?.schedule?.endMinute ?? 18 * 60),
    wallOn: !!a.wall,
    window: String(a.wall?.window ?? 0),
    tile: a.wall?.tile === null || a.wall?.tile === undefined ? '' : String(a.wall.tile),
    ptzOn: !!a.ptz,
    ptzCamera: a.ptz?.cameraId ? String(a.ptz.cameraId) : '',
    preset: String(a.ptz?.presetId ?? 1),
    bookmarkOn: !!a.bookmark,
    before: String(a.bookmark?.beforeS ?? 10),
    after: String(a.bookmark?.afterS ?? 30),
    snapshot: a.snapshot ?? false,
    sound: a.sound ?? true,
    desktop: a.desktop ?? false,
    notifyRoles: a.notify?.roles ?? [],
    escalateOn: !!a.escalate,
    escalateAfter: String(a.escalate?.afterS ?? 60),
    escalateRole: a.escalate?.role ?? 'admin',
  };
}

export function bodyOf(d: Draft): AlarmRuleBody {
  const int = (v: string) => (v.trim() === '' ? NaN : Number(v));
  return {
    name: d.name.trim(),
    enabled: d.enabled,
    sourceIds: d.sourceIds,
    groups: d.groups,
    types: d.types,
    minSeverity: d.minSeverity,
    schedule: d.scheduleOn ? { days: [...d.days].sort(), startMinute: minutes(d.start), endMinute: minutes(d.end) } : null,
    actions: {
      wall: d.wallOn ? { window: int(d.window), tile: d.tile === '' ? null : Number(d.tile) } : null,
      ptz: d.ptzOn ? { cameraId: d.ptzCamera ? Number(d.ptzCamera) : null, presetId: int(d.preset) } : null,
      bookmark: d.bookmarkOn ? { cameraId: null, beforeS: int(d.before), afterS: int(d.after) } : null,
      snapshot: d.snapshot,
      sound: d.sound,
      desktop: d.desktop,
      notify: d.notifyRoles.length ? { roles: d.notifyRoles, userIds: [] } : null,
      escalate: d.escalateOn ? { afterS: int(d.escalateAfter), role: d.escalateRole } : null,
    },
  };
}

export function toggle<T>(list: readonly T[], v: T, on: boolean): T[] {
  return on ? (list.includes(v) ? [...list] : [...list, v]) : list.filter((x) => x !== v);
}
