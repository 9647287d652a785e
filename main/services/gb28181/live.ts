// GB/T 28181 live streams: one INVITE per channel shared by every holder (recorder, relays), BYE after the last, no-media watchdog, re-INVITE on re-registration.
import { asLog, type Log } from '../../../common/log';
import { msg, type ServerMessage } from '../../../common/messages';
import type { RtpCounters, RtpTransport } from '../../../media/rtp/receiver';
import { rtpPsInput } from '../../../media/rtp/ps-input';
import { SourceUnavailable } from '../../../media/stream-source';
import { DomainError } from '../../platform/errors';
import type { GbLiveLease, GbLiveStreams } from '../contracts';
import { openMediaSession, type MediaSession } from './media-session';
import { SsrcPool } from './sdp';
import type { GbRegistrationEvent, GbSignalling } from './signalling';

export interface GbLiveOptions {
  signalling: GbSignalling;
  /** Media transport of a device (its setting); the site default otherwise. */
  transportOf: (deviceGbId: string) => RtpTransport;
  /** Address devices send media to (the offer's c=). */
  mediaHost: string;
  /** Address RTP receivers bind; default 0.0.0.0. */
  bindHost?: string;
  /** No RTP for this long → BYE, and the stream is asked for again (default 10 s). */
  noMediaTimeoutMs?: number;
  /** How long a stream nobody holds is kept before its BYE (a recorder's next run reuses it); default 3 s. */
  lingerMs?: number;
  /** Waits before asking again after a failure: one per consecutive failure, the last repeated. */
  backoffMs?: number[];
  log?: Log | ((msg: string) => void);
  now?: () => number;
}

/** What the console and tests see of one stream. */
export interface GbLiveState {
  deviceGbId: string;
  channelGbId: string;
  holders: number;
  state: 'inviting' | 'streaming' | 'waiting' | 'idle';
  transport: RtpTransport;
  ssrc: string | null;
  invites: number;
  failures: number;
  lastError: ServerMessage | null;
  counters: RtpCounters | null;
}

interface Entry {
  deviceGbId: string;
  channelGbId: string;
  holders: number;
  session: MediaSession | null;
  opening: Promise<MediaSession> | null;
  invites: number;
  failures: number;
  retryAtMs: number;
  lastError: ServerMessage | null;
  linger: NodeJS.Timeout | null;
}

const DEFAULT_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export class GbLive implements GbLiveStreams {
  private readonly log: Log;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly ssrcs: SsrcPool;
  private watchdog: NodeJS.Timeout | null = null;
  private offRegistration: (() => void) | null = null;
  private closed = false;

  constructor(private readonly o: GbLiveOptions) {
    this.log = asLog(o.log, 'gb-live');
    this.now = o.now ?? Date.now;
    this.ssrcs = new SsrcPool(o.signalling.domain);
  }

  start(): void {
    this.offRegistration = this.o.signalling.onRegistration((ev) => this.onRegistration(ev));
    this.watchdog = setInterval(() => this.checkMedia(), 1000);
    this.watchdog.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.offRegistration?.();
    if (this.watchdog) clearInterval(this.watchdog);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      all.map(async (e) => {
        if (e.linger) clearTimeout(e.linger);
        await e.opening?.catch(() => undefined);
        await this.teardown(e, 'server closing');
      }),
    );
  }

  /** Every stream that is held, opening or lingering. */
  states(): GbLiveState[] {
    return [...this.entries.values()].map((e) => ({
      deviceGbId: e.deviceGbId,
      channelGbId: e.channelGbId,
      holders: e.holders,
      state: e.session ? 'streaming' : e.opening ? 'inviting' : this.now() < e.retryAtMs ? 'waiting' : 'idle',
      transport: this.o.transportOf(e.deviceGbId),
      ssrc: e.session?.ssrc ?? null,
      invites: e.invites,
      failures: e.failures,
      lastError: e.lastError,
      counters: e.session?.receiver.counters() ?? null,
    }));
  }

  async acquire(deviceGbId: string, channelGbId: string, signal: AbortSignal): Promise<GbLiveLease> {
    if (this.closed) throw new SourceUnavailable(msg('gb.live_off'));
    const key = `${deviceGbId}/${channelGbId}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { deviceGbId, channelGbId, holders: 0, session: null, opening: null, invites: 0, failures: 0, retryAtMs: 0, lastError: null, linger: null };
      this.entries.set(key, e);
    }
    const entry = e;
    entry.holders++;
    if (entry.linger) {
      clearTimeout(entry.linger);
      entry.linger = null;
    }
    try {
      const session = await this.ensure(entry);
      if (signal.aborted) throw new SourceUnavailable(msg('gb.no_media', { id: channelGbId }));
      const run = rtpPsInput(session.receiver);
      let released = false;
      return {
        input: run.input,
        release: () => {
          if (released) return;
          released = true;
          run.end();
          this.release(key, entry);
        },
      };
    } catch (err) {
      this.release(key, entry);
      if (err instanceof SourceUnavailable) throw err;
      if (err instanceof DomainError) throw new SourceUnavailable(err.msg);
      throw err;
    }
  }

  private ensure(e: Entry): Promise<MediaSession> {
    if (e.session) return Promise.resolve(e.session);
    if (e.opening) return e.opening;
    if (this.now() < e.retryAtMs && e.lastError) return Promise.reject(new SourceUnavailable(e.lastError));
    e.invites++;
    const transport = this.o.transportOf(e.deviceGbId);
    this.log.info('INVITE for live video', { deviceId: e.deviceGbId, channelId: e.channelGbId, transport });
    const opening = openMediaSession({
      signalling: this.o.signalling,
      ssrcs: this.ssrcs,
      deviceId: e.deviceGbId,
      channelId: e.channelGbId,
      transport,
      session: 'Play',
      mediaHost: this.o.mediaHost,
      bindHost: this.o.bindHost,
      firstPacketTimeoutMs: this.o.noMediaTimeoutMs ?? 10_000,
      log: this.log,
      now: this.now,
    });
    e.opening = opening;
    opening.then(
      (s) => {
        e.opening = null;
        e.failures = 0;
        e.lastError = null;
        if (this.closed || this.entries.get(`${e.deviceGbId}/${e.channelGbId}`) !== e) {
          void s.close();
          return;
        }
        e.session = s;
        s.dialog.onEnded((why) => {
          if (e.session !== s) return;
          this.log.warn('the device ended the live stream', { deviceId: e.deviceGbId, channelId: e.channelGbId, why });
          this.fail(e, msg('gb.no_media', { id: e.channelGbId }));
        });
      },
      (err: unknown) => {
        e.opening = null;
        e.failures++;
        e.lastError = err instanceof DomainError ? err.msg : msg('gb.no_media', { id: e.channelGbId });
        e.retryAtMs = this.now() + this.backoff(e.failures);
        this.log.warn('live INVITE failed', { deviceId: e.deviceGbId, channelId: e.channelGbId, reason: e.lastError.code, failures: e.failures });
      },
    );
    return opening;
  }

  private backoff(failures: number): number {
    const steps = this.o.backoffMs ?? DEFAULT_BACKOFF_MS;
    return steps[Math.min(failures, steps.length) - 1] ?? 0;
  }

  private release(key: string, e: Entry): void {
    e.holders = Math.max(0, e.holders - 1);
    if (e.holders > 0 || e.linger) return;
    e.linger = setTimeout(() => {
      e.linger = null;
      if (e.holders > 0 || this.entries.get(key) !== e) return;
      this.entries.delete(key);
      this.log.info('nobody watches or records: BYE', { deviceId: e.deviceGbId, channelId: e.channelGbId });
      void (async () => {
        await e.opening?.catch(() => undefined);
        await this.teardown(e, 'unused');
      })();
    }, this.o.lingerMs ?? 3_000);
    e.linger.unref();
  }

  /** Ends the session (the holders' runs end with it and open again: through backoff after a failure). */
  private fail(e: Entry, why: ServerMessage): void {
    e.failures++;
    e.lastError = why;
    e.retryAtMs = this.now() + this.backoff(e.failures);
    void this.teardown(e, why.code);
  }

  private async teardown(e: Entry, why: string): Promise<void> {
    const s = e.session;
    e.session = null;
    if (!s) return;
    this.log.debug('live stream closed', { deviceId: e.deviceGbId, channelId: e.channelGbId, why, ...s.receiver.counters() });
    await s.close();
  }

  private checkMedia(): void {
    const limit = this.o.noMediaTimeoutMs ?? 10_000;
    const now = this.now();
    for (const e of this.entries.values()) {
      const s = e.session;
      if (!s) continue;
      const last = s.receiver.counters().lastPacketMs ?? s.startedMs;
      if (now - last < limit) continue;
      const seconds = Math.round((now - last) / 1000);
      this.log.warn('no media from the device: BYE and INVITE again', { deviceId: e.deviceGbId, channelId: e.channelGbId, seconds });
      this.fail(e, msg('gb.media_timeout', { seconds }));
    }
  }

  /**
   * A device that registers afresh (first registration, or back online) or re-registers while its streams are silent
   * (it rebooted: its old dialogs are gone) gets its held streams asked for again at once, without waiting for the
   * no-media timeout or a backoff.
   */
  private onRegistration(ev: GbRegistrationEvent): void {
    if (ev.type !== 'registered' && ev.type !== 'online') return;
    const fresh = ev.type === 'online' || ev.first;
    for (const e of this.entries.values()) {
      if (e.deviceGbId !== ev.deviceId) continue;
      const s = e.session;
      const silent = s !== null && this.now() - (s.receiver.counters().lastPacketMs ?? s.startedMs) > 1_000;
      if (s && !fresh && !silent) continue;
      e.retryAtMs = 0;
      e.failures = 0;
      if (!s && e.opening) continue;
      this.log.info('device registered again: re-INVITE', { deviceId: e.deviceGbId, channelId: e.channelGbId });
      void this.teardown(e, 're-registered').then(() => {
        if (e.holders > 0 && !this.closed) this.ensure(e).catch(() => undefined);
      });
    }
  }
}
