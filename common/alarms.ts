// Alarm contracts (issue 7): the alarm model, linkage rules, API bodies and views, and the alarm events on the WebSocket stream.
import { ROLES, type Role } from './api';
import { DEVICE_EVENT_TYPES, type DeviceEventType } from './device-events';
import { s, type Infer } from './schema';
import type { ServerMessage, WireMessage } from './messages';

/** Alarm types are the device event types (ONVIF motion/tamper/inputs, SOS, geofence, offline, video loss, ...). */
export const ALARM_TYPES = DEVICE_EVENT_TYPES;
export type AlarmType = DeviceEventType;

/** Severities, most urgent first (the live list sorts by this rank, then by time). */
export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

/** 0 for critical ... 3 for info. */
export function severityRank(sev: AlarmSeverity): number {
  return ALARM_SEVERITIES.indexOf(sev);
}

/** Severity an alarm of a type gets unless the producer or operator says otherwise. */
export const DEFAULT_SEVERITY: Record<AlarmType, AlarmSeverity> = {
  sos: 'critical',
  tamper: 'major',
  digital_input: 'major',
  geofence_enter: 'minor',
  geofence_exit: 'minor',
  motion: 'minor',
  camera_offline: 'major',
  unit_offline: 'major',
  video_loss: 'major',
  recording_failed: 'critical',
  disk_low: 'critical',
  manual: 'major',
};

/** Workflow: new → acknowledged → in_progress → closed (acknowledge may be skipped by starting work or closing). */
export const ALARM_STATES = ['new', 'acknowledged', 'in_progress', 'closed'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** One workflow step (state change) with who did it and when. */
export interface AlarmStep {
  state: AlarmState;
  /** null for the system (raised by a device, escalation). */
  userId: number | null;
  username: string | null;
  atMs: number;
  note: string | null;
}

export const ALARM_ACTION_KINDS = ['wall', 'ptz', 'bookmark', 'snapshot', 'sound', 'desktop', 'notify', 'escalate'] as const;
export type AlarmActionKind = (typeof ALARM_ACTION_KINDS)[number];

/**
 * What an action did, as a code the console words in the user's language with `params` (the server never sends the
 * words): wall {cameraId, window, tile?: 1-based}, sound, desktop, notify {roles: 'a,b', users: '3,4'},
 * ptz_preset {cameraId, presetId}, bookmark {cameraId, beforeS, afterS}, snapshot {cameraId}, escalate {role, waitedS},
 * no_camera (the alarm has no camera to act on). A failed one adds params.reason (ALARM_OUTCOME_REASONS).
 */
export const ALARM_OUTCOME_CODES = ['wall', 'sound', 'desktop', 'notify', 'ptz_preset', 'bookmark', 'snapshot', 'escalate', 'no_camera'] as const;
export type AlarmOutcomeCode = (typeof ALARM_OUTCOME_CODES)[number];
/** Why a server-side action failed (the raw error stays in the server log): timeout {timeoutS}, ... */
export const ALARM_OUTCOME_REASONS = ['timeout', 'not_recording', 'no_frame', 'no_ptz', 'not_found', 'refused', 'unavailable', 'error'] as const;
export type AlarmOutcomeReason = (typeof ALARM_OUTCOME_REASONS)[number];
export type AlarmOutcomeParams = Record<string, string | number | null>;

/** What happened when a rule's action ran: 'ok' / 'failed' (server-side actions), 'sent' (handed to consoles). */
export interface AlarmActionOutcome {
  ruleId: number | null;
  kind: AlarmActionKind;
  status: 'ok' | 'failed' | 'sent';
  /** What was done or why it failed, in English for the server log; the console words `code` (this only when code is null: rows from before codes). */
  message: string;
  /** Id of what the action created (bookmark, snapshot), when any. */
  resultId: number | null;
  atMs: number;
  /** What happened as a code (ALARM_OUTCOME_CODES); null on outcomes stored before codes existed. */
  code: AlarmOutcomeCode | null;
  params: AlarmOutcomeParams;
}

export interface Alarm {
  id: number;
  /** Camera or unit id; null for a server-wide alarm (low disk). */
  sourceId: number | null;
  /** Camera name / unit callsign when the alarm was raised ("server" for server-wide ones). */
  sourceName: string;
  type: AlarmType;
  severity: AlarmSeverity;
  state: AlarmState;
  /** First and latest occurrence (UTC ms); occurrences from one source within the merge window add to `count`. */
  firstMs: number;
  lastMs: number;
  count: number;
  lat: number | null;
  lon: number | null;
  /** Free text (operator's note of a manual alarm, the device's description), in English when the server wrote it. */
  message: string | null;
  /** `message` as a registered code with params (a source's status reason), worded by the console; null: show `message` as written. */
  reason: WireMessage | null;
  /** Device event that raised it (null for manual and test alarms). */
  deviceEventId: number | null;
  /** Raised with "fire a test alarm". */
  test: boolean;
  /** Rules that matched when it was raised. */
  ruleIds: number[];
  /** Role it was escalated to (nobody acknowledged in time), and when. */
  escalatedToRole: Role | null;
  escalatedMs: number | null;
  /** Username of the last operator who changed its state. */
  handler: string | null;
  /** Username of the operator who raised it (manual alarms); null: a device or the server. */
  reporter: string | null;
  /** What exactly happened, for alarm types with several causes (which link a unit lost); the console translates it. */
  cause: AlarmCause | null;
  steps: AlarmStep[];
  /** The newest occurrences merged into it after the first (at most ALARM_OCCURRENCES_SHOWN, oldest first). */
  occurrences: AlarmOccurrenceView[];
  actions: AlarmActionOutcome[];
}

/** Causes of an alarm the console names in the user's language (only occurrences of one cause merge). */
export const ALARM_CAUSES = ['video_link_lost', 'telemetry_link_lost', 'retention_cannot_keep', 'keepalive_lost'] as const;
export type AlarmCause = (typeof ALARM_CAUSES)[number];

export function isAlarmCause(v: unknown): v is AlarmCause {
  return typeof v === 'string' && (ALARM_CAUSES as readonly string[]).includes(v);
}

/** How many merged occurrences an alarm view carries (all are stored). */
export const ALARM_OCCURRENCES_SHOWN = 20;

/** One occurrence merged into an alarm: a merge keeps its own severity, text, place and reporter. */
export interface AlarmOccurrenceView {
  atMs: number;
  severity: AlarmSeverity;
  message: string | null;
  /** `message` as a registered code (see Alarm.reason). */
  reason: WireMessage | null;
  lat: number | null;
  lon: number | null;
  /** Username of the operator who reported it; null for a device. */
  reporter: string | null;
}

/** What the console does for an alarm (carried by the 'raised' and 'escalated' events; executed by the console). */
export interface AlarmLinkage {
  /** Put these cameras on a wall: window 0 is the main console's Live tab, N a wall window; tile null = next free tile. */
  wall: Array<{ cameraId: number; window: number; tile: number | null }>;
  sound: boolean;
  desktop: boolean;
  /** Who should be alerted (sound / desktop notification); both empty = everyone who sees the alarm. */
  notifyRoles: Role[];
  notifyUserIds: number[];
}

export const ALARM_EVENT_KINDS = ['raised', 'merged', 'state', 'action', 'escalated'] as const;
export type AlarmEventKind = (typeof ALARM_EVENT_KINDS)[number];

/** One entry of the alarm feed: stored with an increasing sequence number before it is pushed. */
export interface AlarmFeedEvent {
  type: 'alarm.event';
  /** Delivery sequence number (increasing; a console replays from the last one it saw). */
  seq: number;
  kind: AlarmEventKind;
  /** When the server stored it (UTC ms). */
  atMs: number;
  alarm: Alarm;
  linkage: AlarmLinkage | null;
}

/** WebSocket events of this feature. */
export type AlarmServerEvent = AlarmFeedEvent;

/** Every event type above, for the console's parser (the Record makes the compiler insist the list is complete). */
export const ALARM_EVENT_TYPES: Record<AlarmServerEvent['type'], true> = { 'alarm.event': true };

// ---------- linkage rules ----------

/** When a rule applies: weekdays (0 = Sunday ... 6 = Saturday) and a time of day window in minutes of the server's local time. */
export const AlarmSchedule = s.object({
  days: s.array(s.int({ min: 0, max: 6 }), { minItems: 1, maxItems: 7 }),
  /** Minutes after midnight, inclusive. */
  startMinute: s.int({ min: 0, max: 1440, description: 'minutes after local midnight, inclusive' }),
  /** Minutes after midnight, exclusive; smaller than startMinute means the window crosses midnight. */
  endMinute: s.int({ min: 0, max: 1440, description: 'minutes after local midnight, exclusive (less than startMinute: over midnight)' }),
});
export type AlarmSchedule = Infer<typeof AlarmSchedule>;

export const AlarmRuleActions = s.object({
  wall: s.optional(
    s.nullable(
      s.object({
        /** 0 = the main console's Live tab; N = wall window N. */
        window: s.int({ min: 0, max: 4294967295, description: '0: the Live tab of the main console; N: the wall window on display N' }),
        tile: s.nullable(s.int({ min: 0, max: 15, description: 'tile index (0-based); null: the next free tile' })),
        /** Cameras to show; empty = the alarm's own source. */
        cameraIds: s.optional(s.array(s.int({ min: 1 }), { maxItems: 16 })),
      }),
    ),
  ),
  ptz: s.optional(s.nullable(s.object({ cameraId: s.nullable(s.int({ min: 1, description: 'null: the alarm source' })), presetId: s.int({ min: 1 }) }))),
  bookmark: s.optional(
    s.nullable(
      s.object({
        cameraId: s.nullable(s.int({ min: 1, description: 'null: the alarm source' })),
        beforeS: s.int({ min: 0, max: 3600 }),
        afterS: s.int({ min: 0, max: 3600 }),
      }),
    ),
  ),
  snapshot: s.optional(s.boolean('take a snapshot of the alarm source')),
  sound: s.optional(s.boolean('play the alarm sound in the console')),
  desktop: s.optional(s.boolean('raise a desktop notification')),
  notify: s.optional(s.nullable(s.object({ roles: s.array(s.enum(ROLES), { maxItems: 4 }), userIds: s.array(s.int({ min: 1 }), { maxItems: 100 }) }))),
  escalate: s.optional(s.nullable(s.object({ afterS: s.int({ min: 1, max: 86400 }), role: s.enum(ROLES) }))),
});
export type AlarmRuleActions = Infer<typeof AlarmRuleActions>;

const ruleFields = {
  name: s.string({ minLength: 1, maxLength: 100, singleLine: true }),
  enabled: s.optional(s.boolean()),
  /** Sources the rule applies to (camera/unit ids); with groups or nodeIds: any matches; all empty: every source. */
  sourceIds: s.optional(s.array(s.int({ min: 1 }), { maxItems: 500 })),
  groups: s.optional(s.array(s.string({ minLength: 1, maxLength: 128, singleLine: true }), { maxItems: 50 })),
  /** Organisation nodes: every channel and device in a node's subtree matches (with sourceIds/groups: any matches; all empty: every source). */
  nodeIds: s.optional(s.array(s.int({ min: 1 }), { maxItems: 100 })),
  /** Alarm types; empty: every type. */
  types: s.optional(s.array(s.enum(ALARM_TYPES), { maxItems: ALARM_TYPES.length })),
  /** The alarm must be at least this severe. */
  minSeverity: s.optional(s.enum(ALARM_SEVERITIES)),
  schedule: s.optional(s.nullable(AlarmSchedule)),
  actions: AlarmRuleActions,
};
export const AlarmRuleBody = s.object(ruleFields);
export type AlarmRuleBody = Infer<typeof AlarmRuleBody>;
export const AlarmRulePatch = s.partial(s.object(ruleFields));
export type AlarmRulePatch = Infer<typeof AlarmRulePatch>;

export interface AlarmRule {
  id: number;
  name: string;
  enabled: boolean;
  sourceIds: number[];
  groups: string[];
  /** Organisation nodes whose subtrees the rule covers (API only for now; the console's rule editor keeps them unchanged). */
  nodeIds: number[];
  types: AlarmType[];
  minSeverity: AlarmSeverity;
  schedule: AlarmSchedule | null;
  actions: AlarmRuleActions;
  createdMs: number;
  updatedMs: number;
}

// ---------- alarm API ----------

/** A manual alarm raised by an operator (from a tile or the map). */
export const ManualAlarmBody = s.object({
  sourceId: s.optional(s.nullable(s.int({ min: 1, description: 'camera or unit id; null: none' }))),
  severity: s.optional(s.enum(ALARM_SEVERITIES)),
  message: s.string({ minLength: 1, maxLength: 1000 }),
  lat: s.optional(s.nullable(s.number({ min: -90, max: 90 }))),
  lon: s.optional(s.nullable(s.number({ min: -180, max: 180 }))),
});
export type ManualAlarmBody = Infer<typeof ManualAlarmBody>;

/** Workflow step: acknowledge, start work (with notes), close; a note alone adds a note without a state change. */
export const ALARM_TRANSITIONS = ['acknowledge', 'start', 'close', 'note'] as const;
export type AlarmTransition = (typeof ALARM_TRANSITIONS)[number];
export const AlarmStepBody = s.object({
  action: s.enum(ALARM_TRANSITIONS),
  note: s.optional(s.nullable(s.string({ maxLength: 2000 }))),
});
export type AlarmStepBody = Infer<typeof AlarmStepBody>;

/** The same step on several alarms at once ("acknowledge all N similar"): each alarm is checked and audited on its own. */
export const ALARM_BULK_MAX = 500;
export const AlarmBulkStepBody = s.object({
  ids: s.array(s.int({ min: 1 }), { minItems: 1, maxItems: ALARM_BULK_MAX }),
  action: s.enum(['acknowledge', 'start', 'close'] as const),
  note: s.optional(s.nullable(s.string({ maxLength: 2000 }))),
});
export type AlarmBulkStepBody = Infer<typeof AlarmBulkStepBody>;

/** Answer to a bulk step: the alarms after their step, and those refused with the reason (unknown, or not possible now). */
export interface AlarmBulkStepResult {
  alarms: Alarm[];
  /** `message` in English; `reason` the same as a registered code the console words (common/messages.ts). */
  refused: Array<{ id: number; kind: 'not_found' | 'conflict'; message: string; reason: ServerMessage }>;
}

export const AlarmQuery = s.object({
  startMs: s.optional(s.timeMs('first occurrence at or after')),
  endMs: s.optional(s.timeMs('first occurrence before')),
  sourceId: s.optional(s.int({ min: 1 })),
  type: s.optional(s.enum(ALARM_TYPES)),
  state: s.optional(s.enum([...ALARM_STATES, 'open'] as const, "a state, or 'open' for every state but closed")),
  severity: s.optional(s.enum(ALARM_SEVERITIES)),
  handler: s.optional(s.string({ minLength: 1, maxLength: 64, description: 'username who took a workflow step' })),
  limit: s.optional(s.int({ min: 1, max: 10000 })),
});
export type AlarmQuery = Infer<typeof AlarmQuery>;

export interface AlarmList {
  alarms: Alarm[];
  /** The newest delivery sequence number when the list was read: replay from here after a reconnect. */
  seq: number;
}

export const AlarmFeedQuery = s.object({
  since: s.int({ min: 0, description: 'last sequence number the console has seen' }),
  limit: s.optional(s.int({ min: 1, max: 5000 })),
});
export type AlarmFeedQuery = Infer<typeof AlarmFeedQuery>;

export interface AlarmFeedPage {
  events: AlarmFeedEvent[];
  /** More events follow (ask again from the last seq). */
  more: boolean;
}

/** Columns of the history CSV export, in order. */
export const ALARM_CSV_COLUMNS = [
  'id',
  'type',
  'severity',
  'state',
  'source',
  'sourceId',
  'firstTime',
  'lastTime',
  'count',
  'handler',
  'escalatedTo',
  'lat',
  'lon',
  'message',
] as const;
