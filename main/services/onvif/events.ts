// PullPoint event loop of one ONVIF device: subscribe, pull, renew before expiry, re-subscribe after errors (device restart).
import type { DeviceEventType } from '../../../common/device-events';
import { OnvifError, type OnvifClient, type PulledMessage } from './client';

export interface NormalizedEvent {
  type: Extract<DeviceEventType, 'motion' | 'tamper' | 'digital_input'>;
  state: 'active' | 'inactive';
  topic: string;
  utcMs: number | null;
  source: Record<string, string>;
  data: Record<string, string>;
}

/** Maps an ONVIF notification to motion / tamper / digital input, or null for topics Argus does not track. */
export function normalize(m: PulledMessage): NormalizedEvent | null {
  if (m.operation === 'Initialized' || m.operation === 'Deleted') return null; // state snapshots at subscription time, not happenings
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
  return { type, state, topic: t, utcMs: m.utcMs, source: m.source, data: m.data };
}

export interface PullerDeps {
  client: () => OnvifClient;
  label: string;
  log: (m: string) => void;
  /** Called with each tracked event (in order). */
  onEvent: (ev: NormalizedEvent) => Promise<void>;
  /** Called when support becomes known. */
  onSupport: (supported: boolean) => void;
  now: () => number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Runs until stop(). Invariants: renews when less than half the granted lifetime is left; any pull or renew failure
 * drops the subscription and creates a new one after a backoff (1 s doubling to 30 s); "not supported" ends the loop
 * with one log line; a failure streak is logged once, its end once.
 */
export class EventPuller {
  private running = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  subscriptions = 0;

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

  private async run(): Promise<void> {
    let backoff = 1000;
    let failing = false;
    while (this.running) {
      const client = this.d.client();
      if (!client.hasEventService) {
        this.d.onSupport(false);
        this.d.log(`${this.d.label} has no event service; device events are off for it`);
        return;
      }
      let lifetimeMs = 60_000;
      let terminationMs = 0;
      try {
        terminationMs = await client.createPullPoint();
        lifetimeMs = Math.max(1000, terminationMs - this.d.now());
        this.subscriptions++;
        this.d.onSupport(true);
        if (failing) this.d.log(`${this.d.label} events subscribed again`);
        failing = false;
        backoff = 1000;
      } catch (err) {
        if (!this.running) return;
        if (err instanceof OnvifError && (err.kind === 'unsupported' || err.kind === 'auth')) {
          if (err.kind === 'unsupported') {
            this.d.onSupport(false);
            this.d.log(`${this.d.label} does not support PullPoint events; device events are off for it`);
            return;
          }
        }
        if (!failing) this.d.log(`${this.d.label} cannot subscribe to events (${(err as Error).message}); retrying`);
        failing = true;
        await this.sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        continue;
      }
      // Pull until something fails, renewing on the way.
      while (this.running) {
        try {
          const { messages, terminationMs: t } = await client.pull();
          if (!this.running) break;
          if (t !== null) terminationMs = Math.max(terminationMs, t);
          for (const m of messages) {
            const ev = normalize(m);
            if (ev) await this.d.onEvent(ev).catch((e) => this.d.log(`${this.d.label} event not stored: ${(e as Error).message}`));
          }
          if (terminationMs - this.d.now() < lifetimeMs / 2) {
            const renewed = await client.renew();
            terminationMs = renewed ?? this.d.now() + lifetimeMs;
          }
        } catch (err) {
          if (!this.running) break;
          if (!failing) this.d.log(`${this.d.label} event subscription lost (${(err as Error).message}); subscribing again`);
          failing = true;
          await client.unsubscribe().catch(() => undefined);
          await this.sleep(backoff);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
          break;
        }
      }
    }
    await this.d.client().unsubscribe().catch(() => undefined);
  }
}
