// A scripted GB/T 28181 device for the catalog tests over a raw SIP client: answers DeviceInfo, Catalog (split), DeviceStatus; records SUBSCRIBEs.
import iconv from 'iconv-lite';
import { decodeManscdp } from '../../main/services/gb28181/manscdp';
import type { Manscdp } from '../../main/services/gb28181/signalling';
import { header, type RawMsg, type RawSipClient } from '../helpers/gb-raw-sip';
import { catalogXml, type XmlItem } from './catalog-xml';

export interface ScriptedDevice {
  /** Catalog items answered to the next Catalog queries. */
  items: XmlItem[];
  /** Items per MESSAGE of a Catalog answer. */
  perMessage: number;
  /** SumNum announced (default: the number of items), e.g. more than are sent. */
  sumNum: number | null;
  /** SUBSCRIBEs received: Event header, Expires header, CmdType of the body. */
  subscribes: Array<{ event: string; expires: number; cmdType: string }>;
  /** Queries received (CmdType). */
  queries: string[];
  /** Every request received, with its arrival time (ms since epoch). */
  log: Array<{ what: string; atMs: number }>;
  stop(): void;
}

const xml = (root: string, cmdType: string, sn: number, deviceId: string, inner: string): Buffer =>
  iconv.encode(
    `<?xml version="1.0" encoding="GB2312"?>\r\n<${root}>\r\n<CmdType>${cmdType}</CmdType>\r\n<SN>${sn}</SN>\r\n<DeviceID>${deviceId}</DeviceID>\r\n${inner}</${root}>\r\n`,
    'gb2312',
  );

/** Serves the server's requests to the device `deviceId` on client `c` until stop(). */
export function scriptDevice(c: RawSipClient, deviceId: string, serverId: string, items: XmlItem[]): ScriptedDevice {
  let stopped = false;
  const dev: ScriptedDevice = {
    items,
    perMessage: 4,
    sumNum: null,
    subscribes: [],
    queries: [],
    log: [],
    stop: () => {
      stopped = true;
    },
  };
  const answer = async (q: Manscdp): Promise<void> => {
    dev.queries.push(q.cmdType);
    switch (q.cmdType) {
      case 'DeviceInfo':
        await c.message(
          deviceId,
          serverId,
          xml(
            'Response',
            'DeviceInfo',
            q.sn,
            deviceId,
            '<DeviceName>执法仪网关</DeviceName>\r\n<Result>OK</Result>\r\n<Manufacturer>Argus-Sim</Manufacturer>\r\n<Model>NVR-16</Model>\r\n<Firmware>V2.1.0</Firmware>\r\n<Channel>16</Channel>\r\n',
          ),
        );
        return;
      case 'Catalog': {
        const list = dev.items;
        for (let i = 0; i === 0 || i < list.length; i += dev.perMessage) {
          await c.message(
            deviceId,
            serverId,
            catalogXml(deviceId, list.slice(i, i + dev.perMessage), { sn: q.sn, sumNum: dev.sumNum ?? list.length, lower: i % 8 === 4 }),
          );
        }
        return;
      }
      case 'DeviceStatus':
        await c.message(
          deviceId,
          serverId,
          xml(
            'Response',
            'DeviceStatus',
            q.sn,
            deviceId,
            '<Result>OK</Result>\r\n<Online>ONLINE</Online>\r\n<Status>OK</Status>\r\n<Encode>ON</Encode>\r\n<Record>OFF</Record>\r\n<DeviceTime>2026-12-07T08:00:00</DeviceTime>\r\n',
          ),
        );
        return;
      default:
        return;
    }
  };
  const loop = async (): Promise<void> => {
    while (!stopped) {
      let m: RawMsg;
      try {
        m = await c.next((x) => x.method === 'MESSAGE' || x.method === 'SUBSCRIBE', 500);
      } catch {
        continue;
      }
      const q = decodeManscdp(m.body);
      dev.log.push({ what: `${m.method} ${q.cmdType}`, atMs: Date.now() });
      if (m.method === 'SUBSCRIBE') {
        dev.subscribes.push({ event: header(m, 'event'), expires: Number(header(m, 'expires')), cmdType: q.cmdType });
        continue;
      }
      await answer(q);
    }
  };
  void loop();
  return dev;
}
