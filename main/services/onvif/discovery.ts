// WS-Discovery: the multicast probe of the `onvif` library on the local segment, and directed (unicast) probes of addresses and ranges.
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import dns from 'node:dns/promises';
import net from 'node:net';
import onvif from 'onvif';
import utils from 'onvif/lib/utils.js';

export interface ProbeHit {
  urn: string;
  xaddrs: string[];
  scopes: string[];
  /** Address the answer came from. */
  from: string;
  via: 'multicast' | 'directed';
}

export const MAX_DIRECTED_ADDRESSES = 1024;

function probeXml(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    '<Header><wsa:MessageID xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">' +
    messageId +
    '</wsa:MessageID><wsa:To xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>' +
    '<wsa:Action xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action></Header>' +
    '<Body><Probe xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery"><Types>dn:NetworkVideoTransmitter</Types><Scopes /></Probe></Body></Envelope>'
  );
}

const words = (v: unknown): string[] => (typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : []);

/** Reads the ProbeMatch(es) of a linerase()d ProbeMatches body. */
function hitsFrom(data: unknown, from: string, via: ProbeHit['via']): ProbeHit[] {
  const d = utils.linerase(data) as { probeMatches?: { probeMatch?: unknown } } | undefined;
  const pm = d?.probeMatches?.probeMatch;
  const list = pm === undefined ? [] : Array.isArray(pm) ? pm : [pm];
  const out: ProbeHit[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  for (const m of list as Array<Record<string, any>>) {
    const urn = String(m?.endpointReference?.address ?? '');
    const xaddrs = words(m?.XAddrs);
    if (!urn || xaddrs.length === 0) continue;
    out.push({ urn, xaddrs, scopes: words(m?.scopes), from, via });
  }
  return out;
}

let discoveryErrorsMuted = false;

/** The library's multicast probe (239.255.255.250:3702). Resolves with what answered within timeoutMs. */
export function multicastProbe(timeoutMs: number): Promise<{ hits: ProbeHit[]; warning: string | null }> {
  if (!discoveryErrorsMuted) {
    // The Discovery singleton emits 'error' for foreign or broken answers; an unheard 'error' would throw.
    onvif.Discovery.on('error', () => undefined);
    discoveryErrorsMuted = true;
  }
  return new Promise((resolve) => {
    const hits: ProbeHit[] = [];
    const onDevice = (data: unknown, rinfo: dgram.RemoteInfo) => {
      // With resolve: false the library hands over the parsed ProbeMatches envelope body.
      hits.push(...hitsFrom([data], rinfo?.address ?? '', 'multicast'));
    };
    onvif.Discovery.on('device', onDevice);
    let settled = false;
    const finish = (warning: string | null) => {
      if (settled) return;
      settled = true;
      onvif.Discovery.removeListener('device', onDevice);
      resolve({ hits, warning });
    };
    try {
      onvif.Discovery.probe({ timeout: timeoutMs, resolve: false }, (err) => {
        const e = err as (Error & { code?: string }) | null;
        finish(e && !Array.isArray(e) && e.code ? `multicast probe failed (${e.code}); use a directed probe` : null);
      });
    } catch (err) {
      finish(`multicast probe failed (${(err as Error).message}); use a directed probe`);
    }
    setTimeout(() => finish(null), timeoutMs + 2000).unref();
  });
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}
function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** "a.b.c.d", "host", "a.b.c.d/nn" (nn >= 22) or "a.b.c.d-a.b.c.e" / "a.b.c.d-e" → addresses. Throws with a clear message. */
export async function expandTarget(t: string): Promise<string[]> {
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(t);
  if (cidr) {
    const bits = Number(cidr[2]);
    if (!net.isIPv4(cidr[1]) || bits < 22 || bits > 32)
      throw new Error(`"${t}": use an IPv4 range of at most ${MAX_DIRECTED_ADDRESSES} addresses (/22 or narrower)`);
    const size = 2 ** (32 - bits);
    const start = Math.floor(ipToInt(cidr[1]) / size) * size;
    const all = Array.from({ length: size }, (_, i) => intToIp(start + i));
    return size > 2 ? all.slice(1, -1) : all; // network and broadcast addresses do not answer
  }
  const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+(?:\.\d+\.\d+\.\d+)?)$/.exec(t);
  if (range) {
    const a = range[1];
    const b = range[2].includes('.') ? range[2] : a.split('.').slice(0, 3).concat(range[2]).join('.');
    if (!net.isIPv4(a) || !net.isIPv4(b)) throw new Error(`"${t}" is not a valid IPv4 range`);
    const lo = ipToInt(a);
    const hi = ipToInt(b);
    if (hi < lo || hi - lo + 1 > MAX_DIRECTED_ADDRESSES)
      throw new Error(`"${t}": a range must go upwards and hold at most ${MAX_DIRECTED_ADDRESSES} addresses`);
    return Array.from({ length: hi - lo + 1 }, (_, i) => intToIp(lo + i));
  }
  if (net.isIP(t)) return [t];
  if (!/^[A-Za-z0-9.-]+$/.test(t)) throw new Error(`"${t}" is not a host name, IPv4 address or range`);
  try {
    const r = await dns.lookup(t, { family: 4 });
    return [r.address];
  } catch {
    throw new Error(`"${t}": host name not found`);
  }
}

/** Sends a WS-Discovery Probe to each address (UDP `port`) and collects the ProbeMatches that arrive within timeoutMs. */
export async function directedProbe(addresses: string[], port: number, timeoutMs: number): Promise<ProbeHit[]> {
  if (addresses.length === 0) return [];
  const socket = dgram.createSocket('udp4');
  const hits: ProbeHit[] = [];
  const messageId = `urn:uuid:${crypto.randomUUID()}`;
  const payload = Buffer.from(probeXml(messageId));
  socket.on('message', (msg, rinfo) => {
    utils.parseSOAPString(
      msg.toString('utf8'),
      (err, data) => {
        if (err || !data) return; // not a WS-Discovery answer: ignore
        try {
          hits.push(...hitsFrom(data, rinfo.address, 'directed'));
        } catch {
          /* malformed answer: ignore */
        }
      },
      200,
    );
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, () => resolve()));
  for (const a of addresses) {
    await new Promise<void>((resolve) => socket.send(payload, port, a, () => resolve()));
  }
  await new Promise((r) => setTimeout(r, timeoutMs));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return hits;
}

/** Manufacturer and model from the onvif:// scopes of a probe answer. */
export function fromScopes(scopes: string[]): { manufacturer: string | null; model: string | null } {
  const pick = (kind: string) => {
    const s = scopes.find((x) => x.toLowerCase().startsWith(`onvif://www.onvif.org/${kind}/`));
    if (!s) return null;
    try {
      return decodeURIComponent(s.slice(`onvif://www.onvif.org/${kind}/`.length)).replace(/_/g, ' ') || null;
    } catch {
      return null;
    }
  };
  return { manufacturer: pick('name'), model: pick('hardware') };
}

/** Host and port of the best device service address: the one on the address that answered, else the first. */
export function serviceAddress(hit: ProbeHit): { host: string; port: number } | null {
  const urls = hit.xaddrs.flatMap((x) => {
    try {
      return [new URL(x)];
    } catch {
      return [];
    }
  });
  const u = urls.find((x) => x.hostname === hit.from) ?? urls.find((x) => net.isIPv4(x.hostname)) ?? urls[0];
  if (!u) return null;
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
}
