// Linkage rule evaluation (pure): which rules match an alarm (source, group or organisation subtree, type, severity, schedule) and what they ask for.
import type { Role } from '../../../common/api';
import { severityRank, type AlarmLinkage, type AlarmRule, type AlarmSchedule, type AlarmSeverity, type AlarmType } from '../../../common/alarms';

/** What a rule is matched against. */
export interface AlarmFacts {
  sourceId: number | null;
  /** The source's group (device tree group), when it has one. */
  group: string | null;
  /** Organisation node ids from the root to the node of the source's device (empty: no source or unknown). */
  nodePath: readonly number[];
  type: AlarmType;
  severity: AlarmSeverity;
  atMs: number;
}

/** Minutes east of UTC of the server's local time at `ms` (schedules are in local time). */
export function localOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

/** True when `atMs` falls in the schedule: its weekday is listed and its time of day is in [start, end) (over midnight when end < start). */
export function inSchedule(schedule: AlarmSchedule | null, atMs: number, offsetMinutes: (ms: number) => number = localOffsetMinutes): boolean {
  if (!schedule) return true;
  const local = new Date(atMs + offsetMinutes(atMs) * 60_000);
  const day = local.getUTCDay();
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const { startMinute: start, endMinute: end } = schedule;
  if (start === end) return schedule.days.includes(day); // the whole day
  if (start < end) return schedule.days.includes(day) && minute >= start && minute < end;
  // Over midnight: the part after midnight belongs to the previous day's window.
  if (minute >= start) return schedule.days.includes(day);
  if (minute < end) return schedule.days.includes((day + 6) % 7);
  return false;
}

export function ruleMatches(rule: AlarmRule, f: AlarmFacts, offsetMinutes?: (ms: number) => number): boolean {
  const anySource = rule.sourceIds.length === 0 && rule.groups.length === 0 && rule.nodeIds.length === 0;
  const sourceOk =
    anySource ||
    (f.sourceId !== null && rule.sourceIds.includes(f.sourceId)) ||
    (f.group !== null && rule.groups.includes(f.group)) ||
    rule.nodeIds.some((n) => f.nodePath.includes(n));
  if (!sourceOk) return false;
  if (rule.types.length > 0 && !rule.types.includes(f.type)) return false;
  if (severityRank(f.severity) > severityRank(rule.minSeverity)) return false;
  return inSchedule(rule.schedule, f.atMs, offsetMinutes);
}

/** The console's instructions from the matching rules (wall placements de-duplicated by camera, alerts combined). */
export function linkageOf(rules: readonly AlarmRule[], sourceId: number | null): AlarmLinkage {
  const wall: AlarmLinkage['wall'] = [];
  const roles = new Set<Role>();
  const users = new Set<number>();
  let sound = false;
  let desktop = false;
  for (const r of rules) {
    const a = r.actions;
    if (a.wall) {
      const cams = a.wall.cameraIds && a.wall.cameraIds.length > 0 ? a.wall.cameraIds : sourceId !== null ? [sourceId] : [];
      cams.forEach((cameraId, i) => {
        if (wall.some((w) => w.cameraId === cameraId)) return;
        // A fixed tile for several cameras: the first gets the tile, the others the next tiles.
        wall.push({ cameraId, window: a.wall!.window, tile: a.wall!.tile === null ? null : Math.min(15, a.wall!.tile + i) });
      });
    }
    sound ||= a.sound === true;
    desktop ||= a.desktop === true;
    for (const role of a.notify?.roles ?? []) roles.add(role);
    for (const u of a.notify?.userIds ?? []) users.add(u);
  }
  return { wall, sound, desktop, notifyRoles: [...roles], notifyUserIds: [...users] };
}

/** The earliest escalation the rules ask for: role and due time, or null. */
export function escalationOf(rules: readonly AlarmRule[], firstMs: number): { role: Role; dueMs: number; ruleId: number } | null {
  let best: { role: Role; dueMs: number; ruleId: number } | null = null;
  for (const r of rules) {
    const e = r.actions.escalate;
    if (!e) continue;
    const dueMs = firstMs + e.afterS * 1000;
    if (!best || dueMs < best.dueMs) best = { role: e.role, dueMs, ruleId: r.id };
  }
  return best;
}

/** True when the linkage asks the console for anything. */
export function linkageIsEmpty(l: AlarmLinkage): boolean {
  return l.wall.length === 0 && !l.sound && !l.desktop && l.notifyRoles.length === 0 && l.notifyUserIds.length === 0;
}
