// GB/T 28181 device simulator: SUBSCRIBE dialogs (Catalog, Alarm, MobilePosition with Interval) and the notifications the device sends (Alarm, MobilePosition, Catalog changes).
import type { GbDevice } from './device';
import { catalogItem } from './device-queries';
import { buildXml, gbTime, readXml, type XmlObject } from './manscdp';
import { PtzHead } from './ptz';
import { header, newTag, param, uriOf, type SipMsg } from './sip-text';
import type { Origin } from './sip-transport';

interface Subscription {
  callId: string;
  event: string;
  cmdType: string;
  /** Our From (the SUBSCRIBE's To with our tag) and their From, for in-dialog NOTIFYs. */
  localHdr: string;
  remoteHdr: string;
  remoteUri: string;
  origin: Origin;
  cseq: number;
  expiresAtMs: number;
  intervalS: number;
  timer?: NodeJS.Timeout;
  expiry?: NodeJS.Timeout;
}

export class Subscriptions {
  private readonly subs = new Map<string, Subscription>();

  constructor(private readonly dev: GbDevice) {}

  onSubscribe(msg: SipMsg, origin: Origin, reply: (status: number, reason: string, extra?: Array<[string, string | number]>) => void): void {
    const doc = msg.body.length > 0 ? readXml(msg.body) : null;
    const cmdType = doc?.get('CmdType') ?? '';
    const expiresS = Number(header(msg, 'expires') ?? 3600);
    const callId = header(msg, 'call-id') ?? '';
    const existing = this.subs.get(callId);
    const toTag = existing ? (param(existing.localHdr, 'tag') ?? newTag()) : (param(header(msg, 'to'), 'tag') ?? newTag());
    const event = header(msg, 'event') ?? 'presence';
    reply(200, 'OK', [
      ['Expires', expiresS],
      ['Event', event],
    ]);
    if (existing) this.end(existing);
    if (expiresS <= 0 || !cmdType) {
      this.dev.emit({ ev: 'unsubscribe', cmdType, callId });
      return;
    }
    const to = header(msg, 'to') ?? '';
    const sub: Subscription = {
      callId,
      event,
      cmdType,
      localHdr: param(to, 'tag') === undefined ? `${to};tag=${toTag}` : to,
      remoteHdr: header(msg, 'from') ?? '',
      remoteUri: uriOf(header(msg, 'contact') ?? header(msg, 'from') ?? ''),
      origin,
      cseq: 1,
      expiresAtMs: Date.now() + expiresS * 1000,
      intervalS: Math.max(1, Number(doc?.get('Interval') ?? 5) || 5),
    };
    this.subs.set(callId, sub);
    sub.expiry = setTimeout(() => this.end(sub), expiresS * 1000);
    this.dev.emit({ ev: 'subscribe', cmdType, event, expires: expiresS, interval: sub.intervalS, callId, renewed: existing !== undefined });
    if (cmdType.toLowerCase() === 'mobileposition') {
      sub.timer = setInterval(() => void this.notify(sub, this.positionBody(sub.cmdType)), sub.intervalS * 1000);
      void this.notify(sub, this.positionBody(sub.cmdType));
    }
  }

  private end(sub: Subscription): void {
    clearInterval(sub.timer);
    clearTimeout(sub.expiry);
    this.subs.delete(sub.callId);
  }

  private positionBody(cmdType: string): XmlObject {
    const p = this.dev.position;
    return {
      CmdType: cmdType,
      SN: this.dev.nextSn(),
      DeviceID: this.dev.cfg.deviceId,
      Time: gbTime(Date.now()),
      Longitude: p.longitude.toFixed(6),
      Latitude: p.latitude.toFixed(6),
      Speed: p.speed.toFixed(1),
      Direction: p.direction.toFixed(1),
      Altitude: p.altitude.toFixed(1),
    };
  }

  /** In-dialog NOTIFY (or a MESSAGE with the 'notify-as-message' quirk); resolves with the SIP status, 0 when unanswered. */
  private async notify(sub: Subscription, body: XmlObject): Promise<number> {
    if (this.dev.cfg.quirks.has('notify-as-message')) return this.dev.sendManscdp('Notify', body);
    const leftS = Math.max(0, Math.round((sub.expiresAtMs - Date.now()) / 1000));
    const { buf, branch } = this.dev.buildRequest('NOTIFY', sub.remoteUri, {
      from: sub.localHdr,
      to: sub.remoteHdr,
      callId: sub.callId,
      cseq: ++sub.cseq,
      extra: [
        ['Event', sub.event],
        ['Subscription-State', `active;expires=${leftS}`],
      ],
      body: buildXml('Notify', body, this.dev.style),
    });
    try {
      const res = await this.dev.transport.request(buf, branch, 'NOTIFY', { to: sub.origin.kind === 'tcp' ? sub.origin : undefined });
      this.dev.emit({ ev: 'notify-sent', cmdType: sub.cmdType, status: res.status });
      return res.status;
    } catch {
      this.dev.emit({ ev: 'notify-sent', cmdType: sub.cmdType, status: 0 });
      return 0;
    }
  }

  private find(cmdType: string): Subscription | undefined {
    for (const s of this.subs.values()) if (s.cmdType.toLowerCase() === cmdType.toLowerCase()) return s;
    return undefined;
  }

  /** MobilePosition now: as a MESSAGE (on command), or a NOTIFY in the subscription when there is one and `via` allows. */
  async sendPosition(via: 'message' | 'auto'): Promise<number> {
    const sub = via === 'auto' ? this.find('MobilePosition') : undefined;
    if (sub) return this.notify(sub, this.positionBody(sub.cmdType));
    const status = await this.dev.sendManscdp('Notify', this.positionBody('MobilePosition'));
    this.dev.emit({ ev: 'position-sent', status, position: this.dev.position });
    return status;
  }

  /** Alarm Notify (annex A.2.5.5) as a MESSAGE; the platform answers 200 and then a Response MESSAGE. */
  async sendAlarm(a: { channelId?: string; priority?: number; method?: number; type?: number; description?: string }): Promise<number> {
    const p = this.dev.position;
    const body: XmlObject = {
      CmdType: 'Alarm',
      SN: this.dev.nextSn(),
      DeviceID: a.channelId ?? this.dev.cfg.deviceId,
      AlarmPriority: a.priority ?? 1,
      AlarmMethod: a.method ?? 2,
      AlarmTime: gbTime(Date.now()),
      AlarmDescription: a.description ?? '一键报警',
      Longitude: p.longitude.toFixed(6),
      Latitude: p.latitude.toFixed(6),
    };
    if (a.type !== undefined) body.Info = { AlarmType: a.type };
    const status = await this.dev.sendManscdp('Notify', body);
    this.dev.emit({ ev: 'alarm-sent', status, sn: body.SN });
    return status;
  }

  /** Catalog change (ON/OFF/ADD/DEL/UPDATE) of one channel: NOTIFY in a Catalog subscription, else a MESSAGE Notify. */
  async sendCatalogEvent(channelId: string, event: 'ON' | 'OFF' | 'ADD' | 'DEL' | 'UPDATE'): Promise<number> {
    let ch = this.dev.channels.find((c) => c.id === channelId);
    if (!ch && event === 'ADD') {
      // A camera plugged in: a new channel with this ID (or the next free serial).
      const cams = this.dev.channels.filter((c) => c.kind === 'camera');
      const last = cams.at(-1)?.id ?? `${this.dev.cfg.deviceId.slice(0, 10)}1310000000`;
      const id = channelId || last.slice(0, 13) + String((Number(last.slice(13)) + 1) % 10_000_000).padStart(7, '0');
      ch = { id, kind: 'camera', name: `摄像机通道${cams.length + 1}`, status: 'ON', codec: 'h264' };
      this.dev.channels.push(ch);
      this.dev.ptz.set(id, new PtzHead());
    }
    if (!ch) return 0;
    if (event === 'ON' || event === 'OFF') ch.status = event;
    const body: XmlObject = {
      CmdType: 'Catalog',
      SN: this.dev.nextSn(),
      DeviceID: this.dev.cfg.deviceId,
      SumNum: 1,
      DeviceList: { '@Num': 1, Item: [catalogItem(this.dev, ch, event)] },
    };
    if (event === 'DEL') {
      this.dev.channels.splice(this.dev.channels.indexOf(ch), 1);
      this.dev.ptz.delete(ch.id);
    }
    const sub = this.find('Catalog');
    const status = sub ? await this.notify(sub, body) : await this.dev.sendManscdp('Notify', body);
    this.dev.emit({ ev: 'catalog-event-sent', channelId: ch.id, event, status });
    return status;
  }

  list(): Array<Record<string, unknown>> {
    return [...this.subs.values()].map((s) => ({ cmdType: s.cmdType, event: s.event, callId: s.callId, expiresAtMs: s.expiresAtMs, intervalS: s.intervalS }));
  }

  stopAll(): void {
    for (const s of [...this.subs.values()]) this.end(s);
  }
}
