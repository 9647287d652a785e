// One ONVIF device as Argus talks to it: the `onvif` library's Cam behind promises with hard deadlines and classified errors.
import http from 'node:http';
import onvif from 'onvif';
import type { Cam } from 'onvif';

export type OnvifErrorKind = 'auth' | 'unreachable' | 'timeout' | 'malformed' | 'fault' | 'unsupported';

/** A failure talking to a device, with a message an operator understands. Never contains the password. */
export class OnvifError extends Error {
  constructor(
    readonly kind: OnvifErrorKind,
    message: string,
    /** The socket error code behind an 'unreachable' (ECONNRESET, ECONNREFUSED ...), when there was one. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'OnvifError';
  }
}

/**
 * Why a PullMessages (or Renew) on a subscription failed: 'gone' (the device no longer knows the subscription: a
 * ResourceUnknown-like SOAP fault, or HTTP 400/404/410 on its address), 'ended' (the device cut the pending pull: a
 * reset or closed connection; the subscription is still there), 'down' (refused, unreachable or no answer), 'other'.
 */
export type PullFailure = 'gone' | 'ended' | 'down' | 'other';

const GONE_FAULT =
  /ResourceUnknown|InvalidSubscription|UnknownSubscription|SubscriptionNotFound|NoSuchSubscription|unknown (or expired )?subscription|subscription[^<]{0,40}(unknown|not exist|not found|expired|invalid)/i;

export class PullError extends OnvifError {
  constructor(
    readonly failure: PullFailure,
    base: OnvifError,
    readonly status: number | null,
  ) {
    super(base.kind, base.message, base.code);
    this.name = 'PullError';
  }
}

/** Classifies a failed request on a subscription address from the error, the HTTP status and the answered XML. */
export function pullFailure(err: OnvifError, status: number | null, xml: string): PullFailure {
  if (status === 404 || status === 410) return 'gone';
  if (GONE_FAULT.test(xml) || GONE_FAULT.test(err.message)) return 'gone';
  if (status === 400 && err.kind !== 'auth') return 'gone';
  if (err.kind === 'unreachable' && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) return 'ended';
  if (err.kind === 'unreachable' || err.kind === 'timeout') return 'down';
  // A 200 without a SOAP envelope (an empty body on a cut pull): the device ended the pull.
  if (err.kind === 'malformed' && status === 200 && xml.trim() === '') return 'ended';
  return 'other';
}

export interface DeviceAddress {
  host: string;
  port: number;
  username: string;
  password: string;
}

/** What a profile offers (Media service, GetProfiles). */
export interface ProfileInfo {
  token: string;
  name: string;
  sourceToken: string | null;
  encoding: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  ptz: boolean;
}

/** One message from a PullPoint subscription, flattened. */
export interface PulledMessage {
  topic: string;
  utcMs: number | null;
  operation: string | null;
  source: Record<string, string>;
  data: Record<string, string>;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? '' : String(v));
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && v !== '' && v !== null && v !== undefined ? n : null;
};

/** Maps a library/network error to an OnvifError with a clear message. */
export function classify(err: unknown, what: string, where: string): OnvifError {
  if (err instanceof OnvifError) return err;
  const e = err as Error & { code?: string };
  const msg = String(e?.message ?? e);
  const code = e?.code ?? '';
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'].includes(code))
    return new OnvifError('unreachable', `${where} is unreachable (${code}) during ${what}`, code);
  if (/Network timeout|ETIMEDOUT|ESOCKETTIMEDOUT/i.test(msg) || code === 'ETIMEDOUT')
    return new OnvifError('timeout', `${where} did not answer ${what} in time`);
  if (/not ?authori[sz]ed|Digest authentication failed|authentication/i.test(msg)) return new OnvifError('auth', `${where} refused the user name or password`);
  if (/ActionNotSupported|not implemented|Optional Action Not Implemented/i.test(msg))
    return new OnvifError('unsupported', `${where} does not support ${what}`);
  if (/ONVIF SOAP Fault/.test(msg)) return new OnvifError('fault', `${where} refused ${what}: ${msg.replace(/^ONVIF SOAP Fault:\s*/, '')}`);
  if (/Wrong ONVIF SOAP response|Unexpected|Unclosed|Non-whitespace|Invalid|Unencoded|Text data outside|Cannot read prop|undefined/i.test(msg))
    return new OnvifError('malformed', `${where} answered ${what} with malformed or unexpected XML`);
  return new OnvifError('fault', `${where}: ${what} failed (${msg.slice(0, 200)})`);
}

/**
 * A connection to one device. Every call has a deadline (`timeoutMs`); a device that hangs or trickles is cut off and
 * reported as 'timeout'. close() destroys every socket it opened (no request outlives it).
 */
export class OnvifClient {
  readonly cam: Cam;
  private readonly agent: http.Agent;
  private closed = false;
  /** Rejecters of the calls in flight: close() fails them at once. */
  private readonly pending = new Set<(err: Error) => void>();
  readonly where: string;
  /** HTTP status of the last response the library parsed (set synchronously just before its callback runs). */
  private lastStatus: number | null = null;

  constructor(
    readonly addr: DeviceAddress,
    readonly timeoutMs: number,
  ) {
    this.agent = new http.Agent({ keepAlive: false, maxSockets: 8 });
    this.where = `the device at ${addr.host}:${addr.port}`;
    this.cam = new onvif.Cam({
      hostname: addr.host,
      port: addr.port,
      username: addr.username,
      password: addr.password,
      timeout: timeoutMs,
      autoconnect: false,
      // Service addresses the device announces are rewritten to the address we reached it on (NAT, port maps).
      preserveAddress: true,
      agent: this.agent,
    });
    // The library emits 'warning'/'eventsError'; without listeners an 'error' event would throw.
    this.cam.on('error', () => undefined);
    this.cam.on('rawResponse', (_xml: string, status: number) => {
      this.lastStatus = status;
    });
  }

  /** Runs one library call with a deadline; the library's callback may fire twice (xml2js), only the first counts. */
  call<T>(what: string, fn: (cb: (err: unknown, result?: T) => void) => void, timeoutMs = this.timeoutMs): Promise<T> {
    if (this.closed) return Promise.reject(new OnvifError('unreachable', `${this.where}: connection closed`));
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const abort = (err: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(err);
      };
      this.pending.add(abort);
      const timer = setTimeout(() => {
        this.pending.delete(abort);
        if (done) return;
        done = true;
        reject(new OnvifError('timeout', `${this.where} did not answer ${what} within ${Math.round(timeoutMs / 100) / 10} s`));
      }, timeoutMs);
      try {
        fn((err, result) => {
          this.pending.delete(abort);
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (err) reject(classify(err, what, this.where));
          else resolve(result as T);
        });
      } catch (err) {
        this.pending.delete(abort);
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(classify(err, what, this.where));
      }
    });
  }

  /** GetSystemDateAndTime (no authentication needed) and GetServices; proves the credentials with GetDeviceInformation. */
  async connect(): Promise<{ deviceTimeMs: number; info: { manufacturer: string; model: string; firmware: string; serial: string } }> {
    const t = await this.deviceTime();
    await this.call('GetServices', (cb) => this.cam.getServices(true, (err) => cb(err)));
    if (!this.cam.uri?.media && !this.cam.uri?.media2) {
      // Old devices: GetCapabilities.
      await this.call('GetCapabilities', (cb) => this.cam.getCapabilities((err) => cb(err)));
    }
    if (!this.cam.uri?.media && !this.cam.uri?.media2) throw new OnvifError('unsupported', `${this.where} has no media service (not a video device)`);
    const info = await this.deviceInfo();
    return { deviceTimeMs: t, info };
  }

  /** The device clock (UTC ms, 1 s resolution). */
  async deviceTime(): Promise<number> {
    const d = await this.call<Date>('GetSystemDateAndTime', (cb) => this.cam.getSystemDateAndTime((err, date) => cb(err, date)));
    if (!(d instanceof Date) || !Number.isFinite(d.getTime()))
      throw new OnvifError('malformed', `${this.where} answered GetSystemDateAndTime without a valid time`);
    return d.getTime();
  }

  async deviceInfo(): Promise<{ manufacturer: string; model: string; firmware: string; serial: string }> {
    const i = await this.call<Record<string, unknown>>('GetDeviceInformation', (cb) => this.cam.getDeviceInformation((err, info) => cb(err, info)));
    if (!i || typeof i !== 'object') throw new OnvifError('malformed', `${this.where} answered GetDeviceInformation without information`);
    return { manufacturer: str(i.manufacturer), model: str(i.model), firmware: str(i.firmwareVersion), serial: str(i.serialNumber) };
  }

  async profiles(): Promise<ProfileInfo[]> {
    const raw = await this.call<unknown[]>('GetProfiles', (cb) => this.cam.getProfiles((err, p) => cb(err, p)));
    if (!Array.isArray(raw)) throw new OnvifError('malformed', `${this.where} answered GetProfiles without profiles`);
    return raw.map((p) => {
      const r = p as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const vec = r.videoEncoderConfiguration ?? {};
      return {
        token: str(r.$?.token),
        name: str(r.name),
        sourceToken: str(r.videoSourceConfiguration?.sourceToken) || null,
        encoding: str(vec.encoding) || null,
        width: num(vec.resolution?.width),
        height: num(vec.resolution?.height),
        fps: num(vec.rateControl?.frameRateLimit),
        ptz: !!r.PTZConfiguration,
      };
    });
  }

  async videoSourceTokens(): Promise<string[]> {
    const raw = await this.call<unknown>('GetVideoSources', (cb) => this.cam.getVideoSources((err, v) => cb(err, v)));
    const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
    return list.map((v) => str((v as { $?: { token?: unknown } }).$?.token)).filter(Boolean);
  }

  async streamUri(profileToken: string): Promise<string> {
    const r = await this.call<{ uri?: unknown }>('GetStreamUri', (cb) => this.cam.getStreamUri({ protocol: 'RTSP', profileToken }, (err, v) => cb(err, v)));
    const uri = str(r?.uri);
    if (!/^rtsps?:\/\//i.test(uri)) throw new OnvifError('malformed', `${this.where} gave no RTSP stream address for profile ${profileToken}`);
    return uri;
  }

  async snapshotUri(profileToken: string): Promise<string | null> {
    try {
      const r = await this.call<{ uri?: unknown }>('GetSnapshotUri', (cb) => this.cam.getSnapshotUri({ profileToken }, (err, v) => cb(err, v)));
      return str(r?.uri) || null;
    } catch (err) {
      if (err instanceof OnvifError && (err.kind === 'fault' || err.kind === 'unsupported')) return null; // optional
      throw err;
    }
  }

  // ---------------- PTZ (profile S)
  continuousMove(profileToken: string, x: number, y: number, zoom: number, deviceTimeoutMs: number): Promise<void> {
    return this.call('ContinuousMove', (cb) => this.cam.continuousMove({ profileToken, x, y, zoom, timeout: deviceTimeoutMs }, (err) => cb(err)));
  }

  stop(profileToken: string): Promise<void> {
    return this.call('Stop', (cb) => this.cam.stop({ profileToken, panTilt: true, zoom: true }, (err) => cb(err)));
  }

  async presets(profileToken: string): Promise<Array<{ token: string; name: string }>> {
    await this.call('GetPresets', (cb) => this.cam.getPresets({ profileToken }, (err) => cb(err)));
    const map = (this.cam.presets ?? {}) as unknown as Record<string, { name?: unknown }>;
    return Object.entries(map).map(([token, p]) => ({ token, name: str(p?.name) || token }));
  }

  async setPreset(profileToken: string, presetName: string, presetToken?: string): Promise<string> {
    const data = await this.call<unknown>('SetPreset', (cb) =>
      this.cam.setPreset({ profileToken, presetName, ...(presetToken ? { presetToken } : {}) }, (err, d) => cb(err, d)),
    );
    // Raw xml2js body: [{ setPresetResponse: [{ presetToken: ['x'] }] }]
    const body = Array.isArray(data) ? (data[0] as Record<string, any>) : null; // eslint-disable-line @typescript-eslint/no-explicit-any
    const token = str(body?.setPresetResponse?.[0]?.presetToken?.[0]) || presetToken || '';
    if (!token) throw new OnvifError('malformed', `${this.where} answered SetPreset without a preset token`);
    return token;
  }

  removePreset(profileToken: string, presetToken: string): Promise<void> {
    return this.call('RemovePreset', (cb) => this.cam.removePreset({ profileToken, presetToken }, (err) => cb(err)));
  }

  gotoPreset(profileToken: string, presetToken: string): Promise<void> {
    return this.call('GotoPreset', (cb) => this.cam.gotoPreset({ profileToken, preset: presetToken }, (err) => cb(err)));
  }

  gotoHome(profileToken: string): Promise<void> {
    return this.call('GotoHomePosition', (cb) => this.cam.gotoHomePosition({ profileToken }, (err) => cb(err)));
  }

  setHome(profileToken: string): Promise<void> {
    return this.call('SetHomePosition', (cb) => this.cam.setHomePosition({ profileToken }, (err) => cb(err)));
  }

  async status(profileToken: string): Promise<{ pan: number; tilt: number; zoom: number; moving: boolean }> {
    const s = await this.call<{ position?: { x?: unknown; y?: unknown; zoom?: unknown }; moveStatus?: unknown }>('GetStatus', (cb) =>
      this.cam.getStatus({ profileToken }, (err, v) => cb(err, v)),
    );
    const ms = s?.moveStatus as { panTilt?: unknown; zoom?: unknown } | string | undefined;
    const moving = typeof ms === 'object' && ms !== null ? [ms.panTilt, ms.zoom].some((v) => String(v).toUpperCase() === 'MOVING') : false;
    return { pan: num(s?.position?.x) ?? 0, tilt: num(s?.position?.y) ?? 0, zoom: num(s?.position?.zoom) ?? 0, moving };
  }

  // ---------------- events (PullPoint, profiles S/T)
  get hasEventService(): boolean {
    return !!this.cam.uri?.events;
  }

  /** CreatePullPointSubscription; returns the termination time in server clock (ms). */
  async createPullPoint(): Promise<number> {
    await this.call('CreatePullPointSubscription', (cb) => this.cam.createPullPointSubscription((err) => cb(err)));
    // PullMessages/Renew/Unsubscribe go to the subscription address as raw request options: give them our agent
    // too, so that close() also ends a pull the device holds.
    const sub = this.cam.events.subscription as { subscriptionReference?: { address?: Record<string, unknown> } } | undefined;
    if (sub?.subscriptionReference?.address && typeof sub.subscriptionReference.address === 'object') sub.subscriptionReference.address.agent = this.agent;
    const t = this.cam.events.terminationTime;
    return t instanceof Date && Number.isFinite(t.getTime()) ? t.getTime() : Date.now() + 60_000;
  }

  /** PullMessages (the device holds it up to a minute); the deadline is longer than that. */
  async pull(limit = 20): Promise<{ messages: PulledMessage[]; terminationMs: number | null }> {
    const data = await this.onSubscription<Record<string, unknown>>('PullMessages', (cb) => this.cam.pullMessages({ messageLimit: limit }, cb), 75_000);
    if (!data || typeof data !== 'object')
      throw new PullError('ended', new OnvifError('malformed', `${this.where} answered PullMessages without content`), 200);
    const raw = data.notificationMessage;
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const term = relativeTermination(data);
    return { messages: list.map(flattenMessage), terminationMs: term };
  }

  async renew(): Promise<number | null> {
    const data = await this.onSubscription<Record<string, unknown>>('Renew', (cb) => this.cam.renew({}, cb));
    return data && typeof data === 'object' ? relativeTermination(data) : null;
  }

  /** A request on the subscription address; failures become PullErrors telling whether the subscription is gone. */
  private async onSubscription<T>(what: string, fn: (cb: (err: unknown, d?: T, xml?: string) => void) => void, timeoutMs?: number): Promise<T> {
    let answered: { status: number | null; xml: string } | null = null;
    try {
      return await this.call<T>(
        what,
        (cb) =>
          fn((err, d, xml) => {
            // The library emits rawResponse and parses synchronously before calling back: lastStatus is this answer's.
            if (typeof xml === 'string' && answered === null) answered = { status: this.lastStatus, xml };
            cb(err, d);
          }),
        timeoutMs,
      );
    } catch (err) {
      const e = err instanceof OnvifError ? err : classify(err, what, this.where);
      const a = answered as { status: number | null; xml: string } | null;
      throw new PullError(pullFailure(e, a?.status ?? null, a?.xml ?? ''), e, a?.status ?? null);
    }
  }

  async unsubscribe(): Promise<void> {
    await this.call('Unsubscribe', (cb) => this.cam.unsubscribe((err) => cb(err), true), Math.min(this.timeoutMs, 2000));
  }

  close(): void {
    this.closed = true;
    for (const abort of [...this.pending]) abort(new OnvifError('unreachable', `${this.where}: connection closed`));
    this.pending.clear();
    this.agent.destroy();
  }
}

/** TerminationTime - CurrentTime of a response, applied to the server clock (device clocks may be off). */
function relativeTermination(d: Record<string, unknown>): number | null {
  const term = d.terminationTime;
  const cur = d.currentTime;
  if (term instanceof Date && cur instanceof Date) return Date.now() + (term.getTime() - cur.getTime());
  return null;
}

function simpleItems(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const items = (x as { simpleItem?: unknown } | undefined)?.simpleItem;
  const list = items === undefined ? [] : Array.isArray(items) ? items : [items];
  for (const it of list) {
    const a = (it as { $?: { Name?: unknown; Value?: unknown } }).$;
    if (a && a.Name !== undefined) out[str(a.Name)] = str(a.Value);
  }
  return out;
}

function flattenMessage(m: unknown): PulledMessage {
  const r = m as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const topic = typeof r?.topic === 'string' ? r.topic : str(r?.topic?._);
  const inner = r?.message?.message ?? {};
  const attrs = inner.$ ?? {};
  const utc = attrs.UtcTime instanceof Date ? attrs.UtcTime.getTime() : Date.parse(str(attrs.UtcTime));
  return {
    topic,
    utcMs: Number.isFinite(utc) ? utc : null,
    operation: str(attrs.PropertyOperation) || null,
    source: simpleItems(inner.source),
    data: simpleItems(inner.data),
  };
}
