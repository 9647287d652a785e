// GB/T 28181 subscriptions (SUBSCRIBE Catalog, Alarm, MobilePosition with Expires): made per device, renewed before expiry, their state for the console.
import crypto from 'node:crypto';
import { asLog, type Log, type LogSink } from '../../../common/log';
import { msg, type ServerMessage } from '../../../common/messages';
import { DomainError } from '../../platform/errors';
import { encodeManscdp } from './manscdp';
import type { GbSignalling } from './signalling';

export type GbSubscriptionKind = 'Catalog' | 'Alarm' | 'MobilePosition';
export const GB_SUBSCRIPTION_KINDS: readonly GbSubscriptionKind[] = ['Catalog', 'Alarm', 'MobilePosition'];

/**
 * subscribing: SUBSCRIBE sent, no answer yet; active: accepted, renewed at 80 % of its Expires; retrying: refused by a
 * 5xx, a timeout or the device being away, tried again with backoff; refused: the device does not support it (4xx other
 * than 408/423; tried again at its next registration); stopped: unsubscribed, or the device unregistered/went offline.
 */
export type GbSubscriptionPhase = 'subscribing' | 'active' | 'retrying' | 'refused' | 'stopped';

export interface GbSubscriptionState {
  /** The device's 20-digit GB ID. */
  deviceId: string;
  kind: GbSubscriptionKind;
  phase: GbSubscriptionPhase;
  /** Expires asked for, seconds. */
  expiresS: number;
  /** MobilePosition: the report interval asked for, seconds. */
  intervalS: number | null;
  /** When the phase last changed (ms since epoch). */
  sinceMs: number;
  /** When the device's acceptance runs out (active only). */
  expiresAtMs: number | null;
  /** When the next SUBSCRIBE (renewal or retry) goes out; null when none is planned. */
  nextAttemptMs: number | null;
  /** When the device last accepted a SUBSCRIBE (first or renewal); null when it never did. */
  acceptedMs: number | null;
  /** Accepted renewals since the first acceptance. */
  renewals: number;
  /** Failed attempts in a row. */
  failures: number;
  /** Why the last attempt failed, as a registered message (gb.refused with the SIP status, gb.no_answer, gb.not_registered); null after a success. */
  lastError: ServerMessage | null;
}

export interface GbSubscribeOptions {
  /** Expires to ask for, seconds (default: the manager's, 3600). */
  expiresS?: number;
  /** MobilePosition report interval, seconds (default 5). */
  intervalS?: number;
}

export interface GbSubscriptionsOptions {
  sip: GbSignalling;
  log?: LogSink;
  now?: () => number;
  /** Expires asked for when a subscribe names none (default 3600 s). */
  expiresS?: number;
  /** First retry delay after a failure (default 5 s; doubled per failure up to 5 min). */
  retryMs?: number;
  /** SIP request timeout (default 8 s). */
  timeoutMs?: number;
}

const MAX_RETRY_MS = 300_000;

interface Entry {
  state: GbSubscriptionState;
  timer: NodeJS.Timeout | null;
  /** Bumped by every new subscribe/stop: an answer to an older attempt is ignored. */
  generation: number;
  eventId: number;
  /** The first attempt of the current subscribe (a second subscribe with the same options waits for it). */
  first: Promise<void>;
  /** The SUBSCRIBE dialog (RFC 6665): renewals and the unsubscribe go in it; toTag is the device's, from its 2xx. */
  dialog: { callId: string; fromTag: string; toTag: string | null };
}

const token = () => crypto.randomBytes(6).toString('hex');

/** The SUBSCRIBE body of a kind (A.2.4.x queries). */
function bodyFields(kind: GbSubscriptionKind, s: GbSubscriptionState): Record<string, unknown> {
  switch (kind) {
    case 'Catalog':
      return {};
    case 'Alarm':
      return { StartAlarmPriority: 1, EndAlarmPriority: 4, AlarmMethod: 0 };
    case 'MobilePosition':
      return { Interval: s.intervalS ?? 5 };
    default:
      throw new Error(`unknown subscription kind ${String(kind)}`);
  }
}

export class GbSubscriptions {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(s: GbSubscriptionState) => void>();
  private readonly log: Log;
  private readonly now: () => number;
  private sn = Math.floor(Math.random() * 100_000) + 1;
  private closed = false;

  constructor(private readonly opts: GbSubscriptionsOptions) {
    this.log = asLog(opts.log, 'gb-subscriptions');
    this.now = opts.now ?? Date.now;
  }

  /**
   * Subscribes (or re-subscribes with new options) and keeps the subscription renewed until unsubscribe/stopDevice.
   * Resolves with the state after the first answer (active, retrying or refused); never rejects.
   */
  async subscribe(deviceId: string, kind: GbSubscriptionKind, o: GbSubscribeOptions = {}): Promise<GbSubscriptionState> {
    const key = `${deviceId}/${kind}`;
    const prev = this.entries.get(key);
    const expiresS = o.expiresS ?? prev?.state.expiresS ?? this.opts.expiresS ?? 3600;
    const intervalS = kind === 'MobilePosition' ? (o.intervalS ?? prev?.state.intervalS ?? 5) : null;
    if (
      prev &&
      (prev.state.phase === 'active' || prev.state.phase === 'subscribing') &&
      prev.state.expiresS === expiresS &&
      prev.state.intervalS === intervalS
    ) {
      await prev.first; // already kept (or being made): idempotent, nothing sent
      return { ...(this.entries.get(key) ?? prev).state };
    }
    if (prev?.timer) clearTimeout(prev.timer);
    const entry: Entry = {
      state: {
        deviceId,
        kind,
        phase: 'subscribing',
        expiresS,
        intervalS,
        sinceMs: this.now(),
        expiresAtMs: null,
        nextAttemptMs: null,
        acceptedMs: null,
        renewals: 0,
        failures: 0,
        lastError: null,
      },
      timer: null,
      generation: (prev?.generation ?? 0) + 1,
      eventId: prev?.eventId ?? this.nextSn(),
      first: Promise.resolve(),
      dialog: this.newDialog(),
    };
    this.entries.set(key, entry);
    this.emit(entry.state);
    entry.first = this.attempt(key, entry.generation, false);
    await entry.first;
    return { ...this.entries.get(key)!.state };
  }

  /** Ends a subscription: SUBSCRIBE with Expires 0 (best effort), state stopped. */
  async unsubscribe(deviceId: string, kind: GbSubscriptionKind): Promise<void> {
    const key = `${deviceId}/${kind}`;
    const e = this.entries.get(key);
    if (!e) return;
    const wasActive = e.state.phase === 'active';
    this.stopEntry(e);
    if (wasActive && this.opts.sip.peer(deviceId)) {
      await this.send(e, 0).catch((err: unknown) => this.log.debug('unsubscribe not answered', { deviceId, kind, err: (err as Error).message }));
    }
  }

  /** Forgets the timers of a device that unregistered, expired or went offline (no SIP: it is not there). */
  stopDevice(deviceId: string): void {
    for (const e of this.entries.values()) if (e.state.deviceId === deviceId && e.state.phase !== 'stopped') this.stopEntry(e);
  }

  /** Current states (of one device, or all), by device then kind. */
  states(deviceId?: string): GbSubscriptionState[] {
    return [...this.entries.values()]
      .map((e) => ({ ...e.state }))
      .filter((s) => deviceId === undefined || s.deviceId === deviceId)
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId) || GB_SUBSCRIPTION_KINDS.indexOf(a.kind) - GB_SUBSCRIPTION_KINDS.indexOf(b.kind));
  }

  /** Called on every state change (console events). Returns the unsubscribe. */
  onChange(fn: (s: GbSubscriptionState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) if (e.timer) clearTimeout(e.timer);
    this.entries.clear();
    this.listeners.clear();
  }

  private newDialog(): Entry['dialog'] {
    return { callId: `${token()}${token()}@${this.opts.sip.localHost}`, fromTag: token(), toTag: null };
  }

  private nextSn(): number {
    this.sn = (this.sn % 999_999_999) + 1;
    return this.sn;
  }

  private stopEntry(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = null;
    e.generation++;
    this.update(e, { phase: 'stopped', sinceMs: this.now(), expiresAtMs: null, nextAttemptMs: null });
  }

  private update(e: Entry, patch: Partial<GbSubscriptionState>): void {
    e.state = { ...e.state, ...patch };
    this.emit(e.state);
  }

  private emit(s: GbSubscriptionState): void {
    for (const l of this.listeners) {
      try {
        l({ ...s });
      } catch (err) {
        this.log.error('subscription listener failed', { err: (err as Error).message });
      }
    }
  }

  private async send(e: Entry, expiresS: number): Promise<{ status: number; expiresS: number | null }> {
    const { deviceId, kind } = e.state;
    const body = encodeManscdp({ root: 'Query', cmdType: kind, sn: this.nextSn(), deviceId, fields: bodyFields(kind, e.state) });
    const { sip } = this.opts;
    const d = e.dialog;
    const res = await sip.request(deviceId, {
      method: 'SUBSCRIBE',
      contentType: 'Application/MANSCDP+xml',
      body,
      headers: {
        Event: kind === 'Catalog' ? `Catalog;id=${e.eventId}` : `presence;id=${e.eventId}`,
        Expires: expiresS,
      },
      // In the subscription's dialog (RFC 6665): the same Call-ID and From tag, the device's To tag once it answered.
      dialog: { callId: d.callId, fromTag: d.fromTag, ...(d.toTag ? { toTag: d.toTag } : {}) },
      timeoutMs: this.opts.timeoutMs ?? 8000,
    });
    const status = res.status ?? 0;
    if (status >= 200 && status < 300) {
      const tag = res.headers.to?.params?.tag;
      if (typeof tag === 'string' && tag !== '') d.toTag = tag;
    } else if (status !== 408) {
      e.dialog = this.newDialog(); // refused or unknown dialog (481): the next attempt starts a new one
    }
    const granted = Number(res.headers.expires);
    return { status, expiresS: Number.isFinite(granted) && res.headers.expires !== undefined ? granted : null };
  }

  /** One SUBSCRIBE (first or renewal) and what follows from its answer. */
  private async attempt(key: string, generation: number, renewal: boolean): Promise<void> {
    const e = this.entries.get(key);
    if (!e || e.generation !== generation || this.closed) return;
    const { deviceId, kind } = e.state;
    let status = 0;
    let granted: number | null = null;
    let error: ServerMessage | null = null;
    try {
      ({ status, expiresS: granted } = await this.send(e, e.state.expiresS));
      if (status === 408) error = msg('gb.no_answer', { id: deviceId, cmd: `SUBSCRIBE ${kind}` });
      else if (status < 200 || status >= 300) error = msg('gb.refused', { id: deviceId, cmd: `SUBSCRIBE ${kind}`, status });
    } catch (err) {
      error = err instanceof DomainError ? err.msg : msg('server.internal');
      if (!(err instanceof DomainError)) this.log.warn('SUBSCRIBE failed', { deviceId, kind, err: (err as Error).message });
    }
    if (e.generation !== generation || this.closed) return; // stopped or replaced meanwhile
    const nowMs = this.now();
    if (error === null) {
      const expiresS = granted !== null && granted > 0 ? Math.min(granted, e.state.expiresS) : e.state.expiresS;
      const renewInMs = Math.max(1000, Math.floor(expiresS * 1000 * 0.8));
      this.update(e, {
        phase: 'active',
        sinceMs: e.state.phase === 'active' ? e.state.sinceMs : nowMs,
        expiresAtMs: nowMs + expiresS * 1000,
        nextAttemptMs: nowMs + renewInMs,
        acceptedMs: nowMs,
        renewals: renewal ? e.state.renewals + 1 : e.state.renewals,
        failures: 0,
        lastError: null,
      });
      this.log.debug(renewal ? 'subscription renewed' : 'subscribed', { deviceId, kind, expiresS });
      this.schedule(key, e, renewInMs, true);
      return;
    }
    const refused = status >= 400 && status < 500 && status !== 408 && status !== 423;
    const failures = e.state.failures + 1;
    if (refused) {
      this.log.info('subscription refused by the device', { deviceId, kind, status });
      this.update(e, { phase: 'refused', sinceMs: nowMs, expiresAtMs: null, nextAttemptMs: null, failures, lastError: error });
      return;
    }
    const retryMs = Math.min(MAX_RETRY_MS, (this.opts.retryMs ?? 5000) * 2 ** Math.min(failures - 1, 10));
    // An active subscription whose renewal failed stays active until it runs out.
    const stillActive = e.state.phase === 'active' && e.state.expiresAtMs !== null && e.state.expiresAtMs > nowMs;
    this.update(e, {
      phase: stillActive ? 'active' : 'retrying',
      sinceMs: stillActive || e.state.phase === 'retrying' ? e.state.sinceMs : nowMs,
      expiresAtMs: stillActive ? e.state.expiresAtMs : null,
      nextAttemptMs: nowMs + retryMs,
      failures,
      lastError: error,
    });
    this.log.warn('subscription attempt failed; retrying', { deviceId, kind, error: error.code, status, retryMs });
    this.schedule(key, e, retryMs, stillActive);
  }

  private schedule(key: string, e: Entry, delayMs: number, renewal: boolean): void {
    if (e.timer) clearTimeout(e.timer);
    const generation = e.generation;
    e.timer = setTimeout(() => {
      e.timer = null;
      this.attempt(key, generation, renewal).catch((err: unknown) => this.log.error('subscription attempt crashed', { key, err: (err as Error).message }));
    }, delayMs);
    e.timer.unref();
  }
}
