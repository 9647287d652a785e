// WebSocket client for the server's event stream (EVENTS_PATH): reconnects with backoff, hands each ServerEvent to subscribers.
import { ALARM_EVENT_TYPES } from '../common/alarms';
import { DEVICES_EVENT_TYPES } from '../common/devices';
import { CORE_EVENT_TYPES, EVENTS_PATH, type ServerEvent, type ServerEventType } from '../common/events';
import { GPS_EVENT_TYPES } from '../common/gps';
import { INVESTIGATION_EVENT_TYPES } from '../common/investigation';
import { ONVIF_EVENT_TYPES } from '../common/onvif';
import { Store } from './state/store';

/** Close code the server sends when the session behind the stream ended (logout, expiry, user disabled). */
export const CLOSE_SESSION_ENDED = 4401;

export type StreamState =
  { kind: 'idle' } | { kind: 'connecting'; attempt: number } | { kind: 'open'; sinceMs: number } | { kind: 'waiting'; retryAtMs: number; attempt: number };

/** Every event type this console understands; the Record makes the compiler insist the list is complete. */
const KNOWN_TYPES: Record<ServerEventType, true> = {
  ...CORE_EVENT_TYPES,
  ...ONVIF_EVENT_TYPES,
  ...GPS_EVENT_TYPES,
  ...INVESTIGATION_EVENT_TYPES,
  ...ALARM_EVENT_TYPES,
  ...DEVICES_EVENT_TYPES,
};

/** Parses one message; null for malformed JSON or event types this console does not know (a newer server). */
export function parseServerEvent(text: string): ServerEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(KNOWN_TYPES, type)) return null;
  return v as ServerEvent;
}

/** Delay before reconnect attempt `attempt` (1, 2, ...): doubling from initialMs up to maxMs, with jitter in [50 %, 100 %]. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + 0.5 * random()));
}

/** ws(s)://host/api/v1/events?token=... for the page's own origin. */
export function eventsUrl(token: string, loc: Pick<Location, 'protocol' | 'host'> = location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${EVENTS_PATH}?token=${encodeURIComponent(token)}`;
}

export interface EventStreamOptions {
  /** URL to connect to, or null to stay idle (no session). Asked again before every attempt. */
  url: () => string | null;
  /**
   * Called when the server closed the stream because the session ended, and when an attempt failed before
   * opening (an upgrade refused with 401 looks like that to a browser): the owner checks the session.
   */
  onSessionDoubt?: () => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  WebSocketImpl?: typeof WebSocket;
  now?: () => number;
  random?: () => number;
  log?: (msg: string) => void;
}

type Subscriber = (ev: ServerEvent) => void;

export class EventStream {
  readonly state = new Store<StreamState>({ kind: 'idle' });
  private readonly subscribers = new Set<Subscriber>();
  private ws: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private running = false;
  private readonly opts: Required<Omit<EventStreamOptions, 'onSessionDoubt'>> & Pick<EventStreamOptions, 'onSessionDoubt'>;

  constructor(opts: EventStreamOptions) {
    this.opts = {
      initialBackoffMs: 1000,
      maxBackoffMs: 30_000,
      WebSocketImpl: globalThis.WebSocket,
      now: Date.now,
      random: Math.random,
      log: (m) => console.info(m),
      ...opts,
    };
  }

  /** Adds a subscriber for every event; returns the function that removes it. */
  subscribe(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Skips the remaining wait and connects at once (e.g. the browser came back online). */
  reconnectNow(): void {
    if (!this.running || this.state.get().kind !== 'waiting') return;
    this.clearTimer();
    this.connect();
  }

  close(): void {
    this.running = false;
    this.clearTimer();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close(1000, 'console closed');
      } catch {
        // already closed
      }
    }
    this.state.set({ kind: 'idle' });
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private connect(): void {
    const url = this.opts.url();
    if (!url) {
      this.state.set({ kind: 'idle' });
      return;
    }
    this.attempt++;
    this.state.set({ kind: 'connecting', attempt: this.attempt });
    let opened = false;
    let ws: WebSocket;
    try {
      ws = new this.opts.WebSocketImpl(url);
    } catch (err) {
      this.opts.log(`[events] cannot connect: ${(err as Error).message}`);
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.state.set({ kind: 'open', sinceMs: this.opts.now() });
    };
    ws.onmessage = (msg) => {
      if (typeof msg.data !== 'string') return;
      const ev = parseServerEvent(msg.data);
      if (!ev) return;
      if (ev.type === 'hello') this.attempt = 0; // authenticated and flowing: the next outage starts with a short wait
      for (const fn of [...this.subscribers]) {
        try {
          fn(ev);
        } catch (err) {
          this.opts.log(`[events] subscriber failed on ${ev.type}: ${(err as Error).stack ?? String(err)}`);
        }
      }
    };
    ws.onerror = () => undefined; // onclose follows with the details
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!this.running) return;
      this.opts.log(`[events] stream closed (code ${e.code}${e.reason ? `, ${e.reason}` : ''})`);
      if (e.code === CLOSE_SESSION_ENDED || !opened) this.opts.onSessionDoubt?.();
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    const delay = backoffMs(Math.max(1, this.attempt), this.opts.initialBackoffMs, this.opts.maxBackoffMs, this.opts.random);
    this.state.set({ kind: 'waiting', retryAtMs: this.opts.now() + delay, attempt: this.attempt });
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
