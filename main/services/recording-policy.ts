// Recording policy per channel (docs/design/devices.md): whether a channel's recorder runs (continuous / alarm / off), alarm windows, live-only relays.
import { englishOf, msg, type ServerMessage } from '../../common/messages';
import type { CameraStatus } from '../../common/api';
import { assertNever } from '../../common/events';
import type { CameraRow, Store } from '../../storage/repositories';
import { cameraStreamPath } from '../../media/hub';
import { StreamRelay } from '../../media/relay';
import type { SupervisionOptions } from '../../media/supervision';
import type { FfmpegLauncher } from '../../media/ffmpeg-launcher';
import type { Log } from '../../common/log';
import type { AlarmOnChannel, AlarmRecordingActions } from './contracts';
import { inputUrl, sourceFor, type GbLiveRef, type HubStreams } from './sources';

/** Whether a channel's recorder should run now; when not, why (shown as its status reason). */
export type RecordDecision = { record: true } | { record: false; reason: ServerMessage };

export interface RecordingPolicyDeps {
  repos: Pick<Store, 'channels' | 'alarmWindows'>;
  now: () => number;
  log: (m: string) => void;
  /** Brings the channel's recorder and relays in line with the policy again (an alarm began, or its window ended). */
  reapply: (channelId: number) => void;
}

/**
 * Decides per channel from its stored policy: `continuous` records; `off` does not; `alarm` with pre_alarm_s > 0 records
 * (retention trims it, see retention-policy.ts); `alarm` with pre_alarm_s = 0 records while one of the channel's alarm
 * windows is open, i.e. until post_alarm_s after the alarm's latest occurrence. Writes the windows (alarm_recordings).
 */
export class RecordingPolicy implements AlarmRecordingActions {
  /** One timer per channel recording on alarm: when its latest window ends, the channel is applied again. */
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: RecordingPolicyDeps) {}

  async decide(channelId: number): Promise<RecordDecision> {
    const ch = await this.deps.repos.channels.get(channelId);
    // A row without a channel (not in the device model) records as before.
    if (!ch) return { record: true };
    switch (ch.recordMode) {
      case 'continuous':
        return { record: true };
      case 'off':
        return { record: false, reason: msg('status.policy_off') };
      case 'alarm': {
        if (ch.preAlarmS > 0) return { record: true };
        const endMs = await this.deps.repos.alarmWindows.latestEndMs(channelId);
        if (endMs !== null && endMs > this.deps.now()) {
          this.wakeAt(channelId, endMs);
          return { record: true };
        }
        return { record: false, reason: msg('status.policy_alarm') };
      }
      default:
        return assertNever(ch.recordMode);
    }
  }

  /** Opens or widens the alarm's window on the channel: [first − pre_alarm_s, latest + post_alarm_s]. */
  alarmOccurred(a: AlarmOnChannel): void {
    this.chain = this.chain
      .then(async () => {
        const ch = await this.deps.repos.channels.get(a.channelId);
        if (!ch || this.closed) return;
        await this.deps.repos.alarmWindows.upsert({
          channelId: ch.id,
          alarmId: a.alarmId,
          startMs: a.firstMs - ch.preAlarmS * 1000,
          endMs: a.lastMs + ch.postAlarmS * 1000,
        });
        if (ch.recordMode === 'alarm' && ch.preAlarmS === 0) this.deps.reapply(ch.id);
      })
      .catch((err: unknown) => this.deps.log(`alarm window of channel ${a.channelId} not written: ${(err as Error).message}`));
  }

  /** Resolves when the windows asked for so far are written. */
  idle(): Promise<void> {
    return this.chain;
  }

  private wakeAt(channelId: number, endMs: number): void {
    const old = this.timers.get(channelId);
    if (old) clearTimeout(old);
    const t = setTimeout(
      () => {
        this.timers.delete(channelId);
        if (!this.closed) this.deps.reapply(channelId);
      },
      Math.max(0, endMs - this.deps.now()) + 50,
    );
    t.unref();
    this.timers.set(channelId, t);
  }

  /** Stops the timers and waits for the windows being written. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.chain;
  }
}

export interface LiveRelayDeps {
  hub: HubStreams | null;
  /** The GB/T 28181 live streams (GB channels' sources). */
  gb?: GbLiveRef | null;
  /** Starts the relays' ffmpeg. */
  ffmpeg: FfmpegLauncher;
  /** The recording service's logger: each relay logs through its child {component: 'relay', cameraId, stream: 'live'}. */
  log: Log;
  now?: () => number;
  supervision?: SupervisionOptions;
  /** The channel's status changed (relay started, failing, stopped). */
  onStatus: (channelId: number) => void;
}

interface LiveEntry {
  relay: StreamRelay | null;
  key: string;
  reason: ServerMessage;
}

/**
 * Live view of channels whose recorder does not run by policy: a relay-only ffmpeg copies the main stream into the hub
 * at the path the recorder's relay uses (/cam/<id>), so the wall plays it the same way.
 */
export class LiveRelays {
  private readonly entries = new Map<number, LiveEntry>();

  constructor(private readonly deps: LiveRelayDeps) {}

  ids(): number[] {
    return [...this.entries.keys()];
  }

  /** Relays the channel's main stream (reason: why it is not recorded), or, with null, stops its relay. */
  async set(c: CameraRow, reason: ServerMessage | null): Promise<void> {
    const hub = this.deps.hub?.listening ? this.deps.hub : null;
    const source = reason && hub ? sourceFor(c, 'main', { hub, gb: this.deps.gb ?? null }) : null;
    const key = JSON.stringify([source ? inputUrl(c) : null, c.transport]);
    const cur = this.entries.get(c.id);
    if (cur && reason && cur.key === key) {
      cur.reason = reason;
      return;
    }
    if (cur) await this.stop(c.id);
    if (!reason) return;
    let relay: StreamRelay | null = null;
    if (source && hub) {
      relay = new StreamRelay(
        { cameraId: c.id, label: 'live', source, relayUrl: () => hub.onceUrlFor(cameraStreamPath(c.id, 'main')) },
        {
          log: this.deps.log.child({ component: 'relay', cameraId: c.id, stream: 'live' }),
          ffmpeg: this.deps.ffmpeg,
          now: this.deps.now,
          ...this.deps.supervision,
          onStatus: () => {
            if (this.entries.get(c.id)?.relay === relay) this.deps.onStatus(c.id);
          },
        },
      );
    }
    this.entries.set(c.id, { relay, key, reason });
    relay?.start();
    this.deps.onStatus(c.id);
  }

  /** True while the channel's live-only relay delivers video into the hub. */
  relaying(channelId: number): boolean {
    return this.entries.get(channelId)?.relay?.status().state === 'relaying';
  }

  /** Stops the channel's relay and forgets it. */
  async stop(channelId: number): Promise<void> {
    const e = this.entries.get(channelId);
    if (!e) return;
    this.entries.delete(channelId);
    await e.relay?.close();
  }

  /** The status of a channel that is not recorded by policy, null when the policy records it. */
  status(channelId: number, sinceMs: number): CameraStatus | null {
    const e = this.entries.get(channelId);
    if (!e) return null;
    const r = e.relay?.status();
    // A failing live relay says why; otherwise the policy says why nothing is recorded.
    const reason = r && r.state !== 'relaying' && r.reason ? r.reason : e.reason;
    return {
      cameraId: channelId,
      state: 'stopped',
      lastError: englishOf(reason),
      reason,
      bitrateBps: null,
      sinceMs,
      failures: r?.failures ?? 0,
      nextRetryMs: r?.nextRetryMs ?? null,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.ids().map((id) => this.stop(id)));
  }
}
