// GB/T 28181 device simulator: answers the platform's MANSCDP Query/Control MESSAGEs (Catalog, DeviceInfo, DeviceStatus, RecordInfo, PresetQuery, DeviceControl).
import type { DeviceConfig, GbDevice } from './device';
import { gbTime, parseGbTime, type XmlDoc, type XmlObject } from './manscdp';
import { decodePtzCmd } from './ptz';

export interface Channel {
  id: string;
  kind: 'camera' | 'alarm-input' | 'business-group' | 'virtual-org';
  name: string;
  status: 'ON' | 'OFF';
  codec: 'h264' | 'h265';
}

/**
 * Channel IDs follow the device's: its first 10 digits (centre + industry), type 131 (camera), 134 (alarm input), 215/216 (groups), and
 * a 7-digit serial made of the device's serial and the channel's index. With a clip for H.265 the last camera sends H.265.
 */
export function makeChannels(cfg: Pick<DeviceConfig, 'deviceId' | 'channels' | 'alarmInputs' | 'clipH265' | 'org'>): Channel[] {
  const prefix = cfg.deviceId.slice(0, 10);
  const serial = Number(cfg.deviceId.slice(13)) % 100_000;
  const id = (type: string, i: number) =>
    `${prefix}${type}${String(serial * 100 + i)
      .padStart(7, '0')
      .slice(-7)}`;
  const out: Channel[] = [];
  if (cfg.org) {
    // A platform/NVR-style tree: business group (215) → virtual organisation (216) → the channels.
    out.push({ id: id('215', 1), kind: 'business-group', name: '治安监控业务分组', status: 'ON', codec: 'h264' });
    out.push({ id: id('216', 1), kind: 'virtual-org', name: '一号执法小组', status: 'ON', codec: 'h264' });
  }
  for (let i = 1; i <= cfg.channels; i++) {
    const h265 = cfg.clipH265 !== undefined && i === cfg.channels;
    out.push({ id: id('131', i), kind: 'camera', name: `摄像机通道${i}${h265 ? ' H265' : ''}`, status: 'ON', codec: h265 ? 'h265' : 'h264' });
  }
  for (let i = 1; i <= cfg.alarmInputs; i++) out.push({ id: id('134', i), kind: 'alarm-input', name: `报警输入${i}`, status: 'ON', codec: 'h264' });
  return out;
}

export function catalogItem(dev: GbDevice, ch: Channel, event?: string): XmlObject {
  const bg = dev.channels.find((c) => c.kind === 'business-group');
  const vo = dev.channels.find((c) => c.kind === 'virtual-org');
  if (ch.kind === 'business-group') return { DeviceID: ch.id, Name: ch.name, ...(event ? { Event: event } : {}) };
  if (ch.kind === 'virtual-org')
    return { DeviceID: ch.id, Name: ch.name, ParentID: bg?.id ?? dev.cfg.deviceId, BusinessGroupID: bg?.id ?? '', ...(event ? { Event: event } : {}) };
  const item: XmlObject = {
    DeviceID: ch.id,
    Name: ch.name,
    Manufacturer: 'GBSim',
    Model: ch.kind === 'camera' ? 'GBSIM-IPC' : 'GBSIM-IO',
    Owner: 'Owner',
    CivilCode: dev.cfg.deviceId.slice(0, 6),
    Address: '测试路1号',
    Parental: 0,
    ParentID: vo ? vo.id : dev.cfg.deviceId,
    ...(bg ? { BusinessGroupID: bg.id } : {}),
    SafetyWay: 0,
    RegisterWay: 1,
    Secrecy: 0,
    IPAddress: dev.cfg.localHost,
    Port: dev.transport.localPort,
    Status: ch.status,
    Longitude: dev.position.longitude.toFixed(6),
    Latitude: dev.position.latitude.toFixed(6),
    Info: { PTZType: ch.kind === 'camera' ? 1 : 0, Resolution: '5' },
  };
  if (event) item.Event = event;
  return item;
}

/** Sends `items` as several Response MESSAGEs of `perMessage` items, each with the total in SumNum (annex A.2.6). */
async function sendPaged(dev: GbDevice, head: XmlObject, listTag: string, items: XmlObject[], perMessage: number): Promise<void> {
  if (items.length === 0) {
    await dev.sendManscdp('Response', { ...head, SumNum: 0, [listTag]: { '@Num': 0 } });
    return;
  }
  for (let off = 0; off < items.length; off += perMessage) {
    const page = items.slice(off, off + perMessage);
    await dev.sendManscdp('Response', { ...head, SumNum: items.length, [listTag]: { '@Num': page.length, Item: page } });
  }
}

/** The device's recordings in [start, end]: every hour of local time holds one from :00 to :30 (clipped to the range). */
export function recordingsIn(startMs: number, endMs: number, max = 200): Array<{ startMs: number; endMs: number }> {
  const out: Array<{ startMs: number; endMs: number }> = [];
  const first = new Date(startMs);
  first.setMinutes(0, 0, 0);
  for (let h = first.getTime(); h < endMs && out.length < max; h += 3_600_000) {
    const s = Math.max(h, startMs);
    const e = Math.min(h + 1_800_000, endMs);
    if (e > s) out.push({ startMs: s, endMs: e });
  }
  return out;
}

export async function answerManscdp(dev: GbDevice, doc: XmlDoc, cmdType: string): Promise<void> {
  const root = doc.root.toLowerCase();
  const sn = doc.get('SN') ?? '0';
  const target = doc.get('DeviceID') ?? dev.cfg.deviceId;
  dev.emit({ ev: 'query', root: doc.root, cmdType, sn: Number(sn), target });
  const head = (extra: XmlObject = {}): XmlObject => ({ CmdType: cmdType, SN: sn, DeviceID: target, ...extra });
  if (root === 'response') {
    dev.emit({ ev: 'response', cmdType, result: doc.get('Result') ?? null });
    return;
  }
  if (root === 'query') {
    switch (cmdType.toLowerCase()) {
      case 'catalog':
        return sendPaged(
          dev,
          head(),
          'DeviceList',
          dev.channels.map((ch) => catalogItem(dev, ch)),
          dev.cfg.catalogPerMessage,
        );
      case 'deviceinfo':
        await dev.sendManscdp(
          'Response',
          head({
            DeviceName: '执法记录仪模拟器',
            Result: 'OK',
            Manufacturer: 'GBSim',
            Model: 'GBSIM-DSJ',
            Firmware: 'V2.1.0 build 261207',
            Channel: dev.channels.length,
          }),
        );
        return;
      case 'devicestatus':
        await dev.sendManscdp(
          'Response',
          head({
            Result: 'OK',
            Online: 'ONLINE',
            Status: 'OK',
            Encode: 'ON',
            Record: [...dev.recording.values()].some(Boolean) ? 'ON' : 'OFF',
            DeviceTime: gbTime(Date.now()),
            Alarmstatus: { '@Num': 0 },
          }),
        );
        return;
      case 'recordinfo': {
        const startMs = parseGbTime(doc.get('StartTime'));
        const endMs = parseGbTime(doc.get('EndTime'));
        const recs = Number.isFinite(startMs) && Number.isFinite(endMs) && endMs > startMs ? recordingsIn(startMs, endMs) : [];
        const items = recs.map((r, i) => ({
          DeviceID: target,
          Name: `录像${i + 1}`,
          FilePath: `/record/${target}/${gbTime(r.startMs).replace(/[-:T]/g, '')}.ps`,
          Address: '设备本地',
          StartTime: gbTime(r.startMs),
          EndTime: gbTime(r.endMs),
          Secrecy: 0,
          Type: 'time',
          FileSize: Math.round(((r.endMs - r.startMs) / 1000) * 75_000),
        }));
        dev.emit({ ev: 'recordinfo', target, count: items.length });
        return sendPaged(dev, head({ Name: target }), 'RecordList', items, dev.cfg.recordsPerMessage);
      }
      case 'presetquery': {
        const headPtz = dev.ptz.get(target);
        const presets = headPtz ? [...headPtz.presets].sort(([a], [b]) => a - b) : [];
        await dev.sendManscdp(
          'Response',
          head({ PresetList: { '@Num': presets.length, Item: presets.map(([id, p]) => ({ PresetID: id, PresetName: p.name })) } }),
        );
        return;
      }
      case 'ptzposition': {
        // 2022 A.2.4.13: where the head points now.
        const pos = dev.ptz.get(target)?.position();
        if (!pos) {
          await dev.sendManscdp('Response', head({ Result: 'Error' }));
          return;
        }
        await dev.sendManscdp('Response', head({ Pan: pos.pan.toFixed(2), Tilt: pos.tilt.toFixed(2), Zoom: pos.zoom.toFixed(2) }));
        return;
      }
      case 'configdownload':
        await dev.sendManscdp(
          'Response',
          head({ Result: 'OK', BasicParam: { Name: 'GBSim', Expiration: dev.cfg.expiresS, HeartBeatInterval: dev.cfg.keepaliveS, HeartBeatCount: 3 } }),
        );
        return;
      case 'mobileposition':
        await dev.subs.sendPosition('message');
        return;
      default:
        dev.emit({ ev: 'unsupported', root: doc.root, cmdType });
        return;
    }
  }
  if (root === 'control' && cmdType.toLowerCase() === 'devicecontrol') return deviceControl(dev, doc, target, head);
  dev.emit({ ev: 'unsupported', root: doc.root, cmdType });
}

async function deviceControl(dev: GbDevice, doc: XmlDoc, target: string, head: (extra?: XmlObject) => XmlObject): Promise<void> {
  const ptzCmd = doc.get('PTZCmd');
  if (ptzCmd !== undefined) {
    const ptz = dev.ptz.get(target) ?? dev.ptz.values().next().value;
    try {
      const cmd = decodePtzCmd(ptzCmd);
      ptz?.apply(cmd);
      dev.emit({ ev: 'ptz', channelId: target, cmd, position: ptz?.position() ?? null });
      if (dev.cfg.quirks.has('ptz-response')) await dev.sendManscdp('Response', head({ Result: 'OK' }));
    } catch (err) {
      dev.emit({ ev: 'ptz-rejected', channelId: target, ptzCmd, reason: (err as Error).message });
    }
    return;
  }
  if (doc.get('TeleBoot') !== undefined) {
    dev.reboot();
    return;
  }
  const rec = doc.get('RecordCmd');
  if (rec !== undefined) {
    dev.recording.set(target, rec.toLowerCase() === 'record');
    dev.emit({ ev: 'record', channelId: target, recording: rec.toLowerCase() === 'record' });
    await dev.sendManscdp('Response', head({ Result: 'OK' }));
    return;
  }
  const guard = doc.get('GuardCmd');
  const alarmCmd = doc.get('AlarmCmd');
  if (guard !== undefined || alarmCmd !== undefined) {
    dev.emit({ ev: guard !== undefined ? 'guard' : 'alarm-reset', channelId: target, value: guard ?? alarmCmd });
    await dev.sendManscdp('Response', head({ Result: 'OK' }));
    return;
  }
  if (doc.get('HomePosition') !== undefined) {
    const preset = Number(doc.get('PresetIndex') ?? 0);
    dev.emit({ ev: 'home', channelId: target, enabled: doc.get('Enabled') === '1', preset });
    await dev.sendManscdp('Response', head({ Result: 'OK' }));
    return;
  }
  dev.emit({ ev: 'unsupported', root: doc.root, cmdType: 'DeviceControl', text: doc.text.slice(0, 300) });
  await dev.sendManscdp('Response', head({ Result: 'Error' }));
}
