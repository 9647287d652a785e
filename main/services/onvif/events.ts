// PullPoint event loop of one ONVIF device: subscribe once, pull again after every pull (early ends included), renew before expiry, re-subscribe only when the subscription is gone.
import type { DeviceEventType } from '../../../common/device-events';
import { OnvifError, PullError, type OnvifClient, type PulledMessage } from './client';

export interface NormalizedEvent {
  type: Extract<DeviceEventType, 'motion' | 'tamper' | 'digital_input'>;
  state: 'active' | 'inactive';
  topic: string;
  utcMs: number | null;
  /** PropertyOperation: 'Changed' (a happening), 'Initialized' (the state when the subscription began), 'Deleted'. */
  operation: 'Changed' | 'Initialized' | 'Deleted';
  source: Record<string, string>;
  data: Record<string, string>;
}

/** Maps an ONVIF notification to motion / tamper / digital input, or null for topics Argus does not track. */
export function normalize(m: PulledMessage): NormalizedEvent | null {
  const t = m.topic;
  let type: NormalizedEvent['type'] | null = null;
  let keys: string[] = [];
  if (/MotionAlarm|CellMotionDetector|MotionDetector|\/Motion\b/i.test(t)) {
    type = 'motion';
    keys = ['State', 'IsMotion', 'Motion', 'Value'];
  } else if (/Tamper|GlobalSceneChange|ImageTooBlurry|ImageTooDark|ImageTooBright/i.test(t)) {
    type = 'tamper';
    keys = ['State', 'IsTamper', 'Value'];
  } else if (/DigitalInput|Trigger\/Input/i.test(t)) {
    type = 'digital_input';
    keys = ['LogicalState', 'State', 'Value'];
  }
  if (!type) return null;
  const key = keys.find((k) => m.data[k] !== undefined);
  const v = key ? m.data[key].toLowerCase() : '';
  const state = v === 'true' || v === '1' || v === 'active' || v === 'on' ? 'active' : 'inactive';
  const operation = m.operation === 'Initialized' || m.operation === 'Deleted' ? m.operation : 'Changed';
  return { type, state, topic: t, utcMs: m.utcMs, operation, source: m.source, data: m.data };
}

/**
 * What Argus does with a property message, given the state it last knew for that property (null: never seen).
 * 'Changed' is always a happening. 'Initialized' describes the current state when a subscription begins: it is
 * recorded when it differs from what Argus knew (unknown counts as inactive), so motion already active, or a change
 * missed while no subscription existed, is not lost, while a re-subscription does not repeat known states.
 * 'Deleted' (the property went away) ends a known active state.
 */
export function decide(ev: NormalizedEvent, known: 'active' | 'inactive' | null): NormalizedEvent | null {
  switch (ev.operation) {
    case 'Changed':
      return ev;
    case 'Initialized':
      return ev.state !== (known ?? 'inactive') ? ev : null;
    case 'Deleted':
      return known === 'active' ? { ...ev, state: 'inactive' } : null;
  }
}

export interface PullerDeps {
  client: () => OnvifClient;
  label: string;
  log: (m: string) => void;
  /** Called with each event to record (in order). */
  onEvent: (ev: NormalizedEvent) => Promise<void>;
  /** Called when support becomes known. */
  onSupport: (supported: boolean) => void;
  now: () => number;
  /** Least time between the starts of two pulls that brought nothing (a device answering at once), ms. */
  pullFloorMs?: number;
}

const MAX_BACKOFF_MS = 30_000;
/** Failures of an unknown kind in a row before the subscription is given up and created again. */
const OTHER_FAILURES_BEFORE_RESUBSCRIBE = 3;

/**
 * Runs until stop(). Invariants: one subscription is kept for as long as the device knows it; a pull that ends early
 * (empty answer or connection reset, whatever Timeout was asked) is followed by another pull on the same subscription,
 * no sooner than `pullFloorMs` after the previous one started; renews when less than half the granted lifetime is
 * left (checked before and after every pull); the subscription is created again only when it is gone (SOAP fault
 * "unknown subscription", HTTP 400/404/410 on its address, its termination time passed while the device could not be
 * reached, or repeated unexplained failures); "not supported" ends the loop with one log line; a failure streak is
 * logged once and its end once; early ends are logged once per device.
 */
export class EventPuller {
  private running = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** Last known state per property (type, topic, source), across re-subscriptions. */
  private readonly known = new Map<string, 'active' | 'inactive'>();
  subscriptions = 0;
  pulls = 0;
  earlyEnds = 0;

  constructor(private readonly d: PullerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err) => this.d.log(`${this.d.label} event loop ended: ${(err as Error).message}`));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  private async deliver(messages: PulledMessage[]): Promise<void> {
    for (const m of messages) {
      const ev = normalize(m);
      if (!ev) continue;
      const key = `${ev.type}|${ev.topic}|${JSON.stringify(ev.source)}`;
      const out = decide(ev, this.known.get(key) ?? null);
      if (ev.operation === 'Deleted') this.known.delete(key);
      else this.known.set(key, ev.state);
      if (out) await this.d.onEvent(out).catch((e) => this.d.log(`${this.d.label} event not stored: ${(e as Error).message}`));
    }
  }

  private async run(): Promise<void> {
    const floorMs = this.d.pullFloorMs ?? 1000;
    let backoff = 1000;
    let failing: string | null = null; // what the current failure streak is about (logged once)
    let subscribed = false;
    let lifetimeMs = 60_000;
    let terminationMs = 0;
    let others = 0;
    let pulledOk = false; // the current subscription has answered at least one pull
    let quickEnds = 0; // pulls cut sooner than the floor, in a row
    const fail = async (what: string, message: string) => {
      if (failing === null) this.d.log(`${this.d.label} ${what} (${message})`);
      failing = what;
      await this.sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    };
    const recovered = () => {
      if (failing !== null) this.d.log(`${this.d.label} events flowing again`);
      failing = null;
      backoff = 1000;
    };
    while (this.running) {
      const client = this.d.client();
      if (!subscribed) {
        if (!client.hasEventService) {
          this.d.onSupport(false);
          this.d.log(`${this.d.label} has no event service; device events are off for it`);
          return;
        }
        try {
          terminationMs = await client.createPullPoint();
          lifetimeMs = Math.max(1000, terminationMs - this.d.now());
          this.subscriptions++;
          subscribed = true;
          pulledOk = false;
          others = 0;
          this.d.onSupport(true);
        } catch (err) {
          if (!this.running) return;
          if (err instanceof OnvifError && err.kind === 'unsupported') {
            this.d.onSupport(false);
            this.d.log(`${this.d.label} does not support PullPoint events; device events are off for it`);
            return;
          }
          await fail('cannot subscribe to events; retrying', (err as Error).message);
          continue;
        }
      }
      const gone = async (why: string) => {
        subscribed = false;
        if (failing === null) this.d.log(`${this.d.label} event subscription gone (${why}); subscribing again`);
        failing = failing ?? 'subscription gone';
        // A device that forgets every new subscription at once must not be hammered.
        if (!pulledOk) {
          await this.sleep(backoff);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
      };
      if (this.d.now() >= terminationMs) {
        await gone('it expired while the device could not be reached');
        continue;
      }
      let startMs = this.d.now();
      try {
        if (terminationMs - this.d.now() < lifetimeMs / 2) {
          const renewed = await client.renew();
          terminationMs = renewed ?? this.d.now() + lifetimeMs;
        }
        startMs = this.d.now();
        this.pulls++;
        const { messages, terminationMs: t } = await client.pull();
        if (!this.running) break;
        if (t !== null) terminationMs = Math.max(terminationMs, t);
        pulledOk = true;
        others = 0;
        quickEnds = 0;
        recovered();
        await this.deliver(messages);
        if (messages.length === 0) await this.sleep(floorMs - (this.d.now() - startMs));
      } catch (err) {
        if (!this.running) break;
        const failure = err instanceof PullError ? err.failure : 'other';
        const message = (err as Error).message;
        switch (failure) {
          case 'gone':
            await gone(message);
            break;
          case 'ended':
            // A device that cuts pending pulls (many do, after a few seconds): pull again on the same subscription.
            this.earlyEnds++;
            pulledOk = true;
            if (this.earlyEnds === 1) this.d.log(`${this.d.label} ends pending PullMessages early (${message}); pulling again on the same subscription`);
            quickEnds = this.d.now() - startMs < floorMs ? quickEnds + 1 : 0;
            if (quickEnds === 0) recovered(); // it held the pull a while: the device is there
            // Cut at once, again and again: back off like any failure (the subscription is kept).
            if (quickEnds >= 3) await fail('cuts every PullMessages at once; keeping the subscription and retrying', message);
            else await this.sleep(floorMs - (this.d.now() - startMs));
            break;
          case 'down':
            await fail('cannot reach the device for events; keeping the subscription and retrying', message);
            break;
          case 'other':
            others++;
            if (others >= OTHER_FAILURES_BEFORE_RESUBSCRIBE) {
              await client.unsubscribe().catch(() => undefined);
              await gone(`${others} failures in a row: ${message}`);
            } else await fail('event pull failed; retrying', message);
            break;
        }
      }
    }
    if (subscribed)
      await this.d
        .client()
        .unsubscribe()
        .catch(() => undefined);
  }
}
