// The GB/T 28181 registrar: REGISTER with digest auth, expiry, unregister, keepalive online/offline, unknown devices refused or held, per-IP failure limit.
import type { SipMessage } from 'sip';
import type { Log } from '../../../common/log';
import { DigestAuth, digestAnswer } from './digest';
import type { GbPeer, GbRegistrationEvent } from './signalling';
import type { SipRemote } from './transport';

export const GB_ID = /^\d{20}$/;
export const DEFAULT_KEEPALIVE_S = 60;
/** Keepalives missed before a device counts as offline (GB/T 28181 9.6: 3 by default). */
export const MISSED_KEEPALIVES = 3;
const DEFAULT_EXPIRES_S = 3600;
const MIN_EXPIRES_S = 30;
const MAX_EXPIRES_S = 86_400;
const FAILURE_WINDOW_MS = 60_000;

/** A device as the registrar needs it: whether it may register and with which password. */
export interface RegistrarDevice {
  approved: boolean;
  enabled: boolean;
  /** Its own password (decrypted), or null to use the site password. */
  password: string | null;
  keepaliveS: number;
}

/** Why a registration was refused (audited with the source address). */
export type RefusalReason = 'bad_id' | 'wrong_password' | 'unknown_device' | 'awaiting_approval' | 'disabled' | 'no_password' | 'rate_limited' | 'id_mismatch';

export interface RegistrarDeps {
  /** The known device with this GB ID (approved or held), null when unknown. */
  device(deviceId: string): Promise<RegistrarDevice | null>;
  sitePassword(): string | null;
  unknownDevices(): 'refuse' | 'hold';
  /** An unknown device that authenticated with the site password: keep it as awaiting approval. */
  hold(deviceId: string, peer: GbPeer): Promise<void>;
  /** Stores the registration (peer, expiry) or its end (null). */
  saveRegistration(deviceId: string, r: { peer: GbPeer; registeredMs: number; expiresMs: number } | null): Promise<void>;
  refused(deviceId: string, remote: SipRemote, reason: RefusalReason): void;
}

interface Registration {
  peer: GbPeer;
  expiresMs: number;
  keepaliveMs: number;
  lastSeenMs: number;
  online: boolean;
  /** A restored registration that never sent a keepalive has been reported offline once. */
  silentChecked?: boolean;
}

export class Registrar {
  private readonly regs = new Map<string, Registration>();
  private readonly failures = new Map<string, number[]>();
  private readonly digest: DigestAuth;

  constructor(
    private readonly o: {
      domain: string;
      now: () => number;
      log: Log;
      deps: RegistrarDeps;
      maxFailuresPerMinute: number;
      emit: (ev: GbRegistrationEvent) => void;
    },
  ) {
    this.digest = new DigestAuth(o.domain, o.now);
  }

  peer(id: string): GbPeer | null {
    return this.regs.get(id)?.peer ?? null;
  }

  /** Registered device IDs with their state (for the console and the benchmark). */
  list(): Array<{ deviceId: string; peer: GbPeer; expiresMs: number; online: boolean; lastSeenMs: number }> {
    return [...this.regs.entries()].map(([deviceId, r]) => ({ deviceId, peer: r.peer, expiresMs: r.expiresMs, online: r.online, lastSeenMs: r.lastSeenMs }));
  }

  private limited(ip: string): boolean {
    const now = this.o.now();
    const list = (this.failures.get(ip) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
    if (list.length === 0) this.failures.delete(ip);
    else this.failures.set(ip, list);
    return list.length >= this.o.maxFailuresPerMinute;
  }

  private fail(deviceId: string, remote: SipRemote, reason: RefusalReason): { status: number } {
    if (reason !== 'rate_limited') {
      const list = this.failures.get(remote.address) ?? [];
      list.push(this.o.now());
      this.failures.set(remote.address, list);
    }
    this.o.deps.refused(deviceId, remote, reason);
    // The same answer whatever the reason: it never tells whether the ID exists or the password was the problem.
    return { status: 403 };
  }

  /** Answers a REGISTER: 401 challenge, 200 with Expires/Date, or 403 (400 for a malformed ID). */
  async register(m: SipMessage, remote: SipRemote): Promise<{ status: number; headers?: Record<string, unknown> }> {
    const deviceId = /^sips?:([^@;>]+)@/i.exec(m.headers.from.uri)?.[1] ?? '';
    if (this.limited(remote.address)) return this.fail(deviceId, remote, 'rate_limited');
    if (!GB_ID.test(deviceId)) {
      this.fail(deviceId, remote, 'bad_id');
      return { status: 400 };
    }
    const a = digestAnswer(m.headers.authorization);
    if (!a) return { status: 401, headers: { 'www-authenticate': [this.digest.challenge()] } };
    const nonce = this.digest.nonceState(a.nonce);
    if (nonce === 'bad') return { status: 401, headers: { 'www-authenticate': [this.digest.challenge()] } };
    const device = await this.o.deps.device(deviceId);
    const password = device?.password ?? this.o.deps.sitePassword();
    if (!password) return this.fail(deviceId, remote, 'no_password');
    if (a.username !== deviceId) return this.fail(deviceId, remote, 'id_mismatch');
    if (!this.digest.verify(a, 'REGISTER', password)) return this.fail(deviceId, remote, 'wrong_password');
    if (nonce === 'stale') return { status: 401, headers: { 'www-authenticate': [this.digest.challenge(true)] } };
    const peer: GbPeer = { id: deviceId, transport: remote.protocol === 'TCP' ? 'tcp' : 'udp', host: remote.address, port: remote.port };
    if (!device) {
      if (this.o.deps.unknownDevices() === 'hold') {
        await this.o.deps.hold(deviceId, peer);
        this.o.deps.refused(deviceId, remote, 'awaiting_approval');
        return { status: 403 };
      }
      return this.fail(deviceId, remote, 'unknown_device');
    }
    if (!device.approved) {
      this.o.deps.refused(deviceId, remote, 'awaiting_approval');
      return { status: 403 };
    }
    if (!device.enabled) {
      this.o.deps.refused(deviceId, remote, 'disabled');
      return { status: 403 };
    }
    const expiresS = expiresOf(m);
    const now = this.o.now();
    if (expiresS === 0) {
      await this.unregister(deviceId, 'unregistered');
      return { status: 200, headers: { expires: 0, date: gbDate(now) } };
    }
    const prev = this.regs.get(deviceId);
    const expiresMs = now + expiresS * 1000;
    this.regs.set(deviceId, { peer, expiresMs, keepaliveMs: device.keepaliveS * 1000, lastSeenMs: now, online: true });
    await this.o.deps.saveRegistration(deviceId, { peer, registeredMs: now, expiresMs });
    this.o.emit({ type: 'registered', deviceId, peer, first: !prev });
    if (!prev?.online) this.o.emit({ type: 'online', deviceId });
    const contact = Array.isArray(m.headers.contact) ? m.headers.contact : undefined;
    return {
      status: 200,
      headers: {
        expires: expiresS,
        date: gbDate(now),
        ...(contact ? { contact: contact.map((c) => ({ ...c, params: { ...c.params, expires: String(expiresS) } })) } : {}),
      },
    };
  }

  private async unregister(deviceId: string, type: 'unregistered' | 'expired'): Promise<void> {
    if (!this.regs.delete(deviceId)) return;
    this.o.emit({ type, deviceId });
    await this.o.deps.saveRegistration(deviceId, null);
  }

  /**
   * A registration stored before a restart (UDP only: a TCP device must connect again): the device counts as
   * registered until it expires, online once its next Keepalive arrives, offline after MISSED_KEEPALIVES intervals without.
   */
  restore(deviceId: string, peer: GbPeer, expiresMs: number, keepaliveS: number): void {
    if (peer.transport !== 'udp' || expiresMs <= this.o.now() || this.regs.has(deviceId)) return;
    this.regs.set(deviceId, { peer, expiresMs, keepaliveMs: keepaliveS * 1000, lastSeenMs: this.o.now(), online: false });
  }

  /** A Keepalive from a registered device: it is seen now (and online again). False when it is not registered. */
  keepalive(deviceId: string, remote: SipRemote): boolean {
    const r = this.regs.get(deviceId);
    if (!r) return false;
    r.lastSeenMs = this.o.now();
    // A NAT may have moved the device: follow its latest source.
    if (r.peer.host !== remote.address || r.peer.port !== remote.port) r.peer = { ...r.peer, host: remote.address, port: remote.port };
    if (!r.online) {
      r.online = true;
      this.o.emit({ type: 'online', deviceId });
    }
    return true;
  }

  /** Ends expired registrations and marks devices offline after MISSED_KEEPALIVES intervals without a keepalive. */
  sweep(): void {
    const now = this.o.now();
    for (const [deviceId, r] of [...this.regs.entries()]) {
      if (now >= r.expiresMs) {
        this.unregister(deviceId, 'expired').catch((err: Error) => this.o.log.warn('cannot store an expiry', { deviceId, error: err.message }));
        continue;
      }
      if (now - r.lastSeenMs > MISSED_KEEPALIVES * r.keepaliveMs && (r.online || !r.silentChecked)) {
        r.silentChecked = true;
        r.online = false;
        this.o.emit({ type: 'offline', deviceId, missedKeepalives: Math.floor((now - r.lastSeenMs) / r.keepaliveMs) });
      }
    }
  }

  /** A new keepalive interval (from the device's DeviceConfig/BasicParam, or an admin); applies at once. */
  setKeepalive(deviceId: string, keepaliveS: number): void {
    const r = this.regs.get(deviceId);
    if (r) r.keepaliveMs = keepaliveS * 1000;
  }

  /** Forgets a device's registration (deleted, disabled or rejected by an admin). */
  async drop(deviceId: string): Promise<void> {
    await this.unregister(deviceId, 'unregistered');
  }
}

/** The REGISTER's expiry in seconds: Expires header, else the Contact's expires param, else 3600; clamped (0 stays 0). */
function expiresOf(m: SipMessage): number {
  const h = m.headers.expires;
  const c = Array.isArray(m.headers.contact) ? m.headers.contact[0]?.params.expires : undefined;
  const raw = h !== undefined && String(h).trim() !== '' ? String(h).trim() : (c ?? '');
  if (!/^\d+$/.test(raw)) return DEFAULT_EXPIRES_S;
  const n = Number(raw);
  if (n === 0) return 0;
  return Math.min(MAX_EXPIRES_S, Math.max(MIN_EXPIRES_S, n));
}

/** The Date header GB/T 28181 devices set their clocks from (local time, `2026-12-07T15:30:00.000`). */
export function gbDate(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 23);
}
