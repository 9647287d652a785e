// Repository interface for alarms, their workflow and linkage rules (issue 7); the SQLite implementation is storage/sqlite/alarms.ts.
import type { WireMessage } from '../../common/messages';
import type { Role } from '../../common/api';
import type { EventRow } from '../repositories';
import type {
  Alarm,
  AlarmActionOutcome,
  AlarmEventKind,
  AlarmFeedEvent,
  AlarmCause,
  AlarmLinkage,
  AlarmQuery,
  AlarmRule,
  AlarmSeverity,
  AlarmState,
  AlarmType,
} from '../../common/alarms';

/** A new occurrence of an alarm: merged into the open alarm of its source and type within the window, else a new alarm. */
export interface AlarmOccurrence {
  sourceId: number | null;
  sourceName: string;
  type: AlarmType;
  severity: AlarmSeverity;
  atMs: number;
  lat: number | null;
  lon: number | null;
  message: string | null;
  /** `message` as a registered code with params (common/messages.ts), null when none. */
  reason: WireMessage | null;
  deviceEventId: number | null;
  /** A test alarm is never merged. */
  test: boolean;
  /** May merge into an open alarm of its source and type (false: test alarms, and manual alarms by default). */
  mergeable: boolean;
  /** The operator who raised it (manual alarms); null: a device or the server. */
  reporter: { userId: number; username: string } | null;
  /** What exactly happened (only occurrences of the same cause merge). */
  cause: AlarmCause | null;
  ruleIds: number[];
  escalateRole: Role | null;
  escalateDueMs: number | null;
  /** Console instructions stored with the 'raised' event (ignored when merged). */
  linkage: AlarmLinkage | null;
}

/** A rule to store; nodeIds default to none (rules stored before the organisation tree have none). */
export type AlarmRuleInput = Omit<AlarmRule, 'id' | 'createdMs' | 'updatedMs' | 'nodeIds'> & { nodeIds?: number[] };

/** The alarms a caller may see: of these sources ('all': of any source), and those without a source or not. */
export interface AlarmSourceScope {
  sourceIds: 'all' | readonly number[];
  withoutSource: boolean;
}

export interface AlarmRepo {
  /**
   * In one transaction: merges a mergeable occurrence into the newest open (not closed, not test) alarm of the same
   * source and type whose last occurrence is at most windowMs before atMs and whose severity is at least the
   * occurrence's (count + 1; the occurrence is kept in alarm_occurrences with its severity, message, place and
   * reporter; a missing message or place of the alarm is filled from it), or creates the alarm with its first step;
   * appends the feed event ('merged' / 'raised') and returns it. A merge never lowers an alarm's severity: a more
   * severe occurrence raises an alarm of its own.
   */
  raise(o: AlarmOccurrence, windowMs: number, nowMs: number): Promise<AlarmFeedEvent>;
  /** In one transaction: sets the state (or only adds a note when state is null), appends the step and the 'state' feed event. */
  step(
    alarmId: number,
    step: { state: AlarmState | null; userId: number | null; username: string | null; note: string | null },
    nowMs: number,
  ): Promise<AlarmFeedEvent | null>;
  /** Appends action outcomes and the 'action' feed event. */
  addActions(alarmId: number, outcomes: AlarmActionOutcome[], nowMs: number): Promise<AlarmFeedEvent | null>;
  /** Alarms still 'new' whose escalation is due at nowMs (oldest first), with the role to escalate to. */
  dueForEscalation(nowMs: number, limit: number): Promise<Array<{ alarm: Alarm; role: Role }>>;
  /** Marks one alarm escalated (only if still new and not escalated) and appends the 'escalated' feed event; null when it was not. */
  escalate(alarmId: number, linkage: AlarmLinkage, outcome: AlarmActionOutcome, nowMs: number): Promise<AlarmFeedEvent | null>;
  get(id: number): Promise<Alarm | null>;
  /**
   * History search: newest first. `state: 'open'` = every state but closed. `scope` keeps only the alarms of those
   * sources (a user's rights), applied in the query before its limit so a page is never cut short by rights.
   */
  search(q: AlarmQuery, scope?: AlarmSourceScope): Promise<Alarm[]>;
  /** Feed events with seq > since, in order (at most limit); `scope`: only those of alarms of those sources (before the limit). */
  feedSince(since: number, limit: number, scope?: AlarmSourceScope): Promise<AlarmFeedEvent[]>;
  /** The newest seq (0 when the feed is empty). */
  lastSeq(): Promise<number>;
  /** Deletes feed events stored before beforeMs; returns how many. */
  pruneFeed(beforeMs: number): Promise<number>;
  /** Appends a feed event of any kind for an alarm (used by the service for kinds not covered above). */
  appendFeed(alarmId: number, kind: AlarmEventKind, linkage: AlarmLinkage | null, nowMs: number): Promise<AlarmFeedEvent | null>;

  /**
   * Device events stored but not yet handled by the alarm center (crash recovery): above the oldest handled id kept,
   * not marked handled; in id order. raise() marks its device event handled in its transaction.
   */
  pendingEvents(limit: number): Promise<EventRow[]>;
  /** Marks a device event handled that raises no alarm (motion going inactive, ...). */
  markEventDone(eventId: number): Promise<void>;
  /** Keeps only the newest `keep` handled ids (older stored events are no longer recovered); returns how many went. */
  pruneDoneEvents(keep: number): Promise<number>;

  listRules(): Promise<AlarmRule[]>;
  getRule(id: number): Promise<AlarmRule | null>;
  createRule(r: AlarmRuleInput, nowMs: number): Promise<AlarmRule>;
  updateRule(id: number, patch: Partial<AlarmRuleInput>, nowMs: number): Promise<AlarmRule | null>;
  deleteRule(id: number): Promise<boolean>;
}
