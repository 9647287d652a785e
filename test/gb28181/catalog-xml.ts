// Catalog XML as field devices send it (GB2312 bytes, lower-case tags, odd whitespace, split answers), for the catalog tests.
import iconv from 'iconv-lite';

export interface XmlItem {
  id: string;
  name?: string;
  parentId?: string;
  civilCode?: string;
  businessGroupId?: string;
  status?: string;
  ptzType?: number;
  event?: string;
  longitude?: number;
  latitude?: number;
  address?: string;
  /** Extra raw XML inside the item. */
  extra?: string;
}

function itemXml(i: XmlItem, lower: boolean): string {
  const t = (name: string, v: string | number | undefined) =>
    v === undefined ? '' : `<${lower ? name.toLowerCase() : name}>${v}</${lower ? name.toLowerCase() : name}>\r\n`;
  const info =
    i.ptzType !== undefined || i.businessGroupId !== undefined
      ? `<Info>\r\n${t('PTZType', i.ptzType)}${t('BusinessGroupID', i.businessGroupId)}</Info>\r\n`
      : '';
  return (
    `<Item>\r\n${t('DeviceID', i.id)}${t('Event', i.event)}${t('Name', i.name)}${t('Manufacturer', i.name === undefined ? undefined : 'Argus-Sim')}` +
    `${t('CivilCode', i.civilCode)}${t('Address', i.address)}${t('ParentID', i.parentId)}${t('Status', i.status)}` +
    `${t('Longitude', i.longitude)}${t('Latitude', i.latitude)}${info}${i.extra ?? ''}</Item>\r\n`
  );
}

/** One Catalog Response (or Notify) MESSAGE body as GB2312 bytes. */
export function catalogXml(
  deviceId: string,
  items: XmlItem[],
  opts: { sn?: number; sumNum?: number; root?: 'Response' | 'Notify'; lower?: boolean; charset?: 'GB2312' | 'UTF-8' } = {},
): Buffer {
  const root = opts.root ?? 'Response';
  const charset = opts.charset ?? 'GB2312';
  const xml =
    `<?xml version="1.0" encoding="${charset}"?>\r\n<${root}>\r\n<CmdType>Catalog</CmdType>\r\n<SN> ${opts.sn ?? 1} </SN>\r\n<DeviceID>${deviceId}</DeviceID>\r\n` +
    `<SumNum>${opts.sumNum ?? items.length}</SumNum>\r\n<DeviceList Num="${items.length}">\r\n${items.map((i) => itemXml(i, opts.lower ?? false)).join('')}</DeviceList>\r\n</${root}>\r\n`;
  return charset === 'UTF-8' ? Buffer.from(xml, 'utf8') : iconv.encode(xml, 'gb2312');
}

/** A 16-channel NVR's channels (131 cameras 1–16; 1 and 2 PTZ domes, 3 OFF), IDs under the NVR's own prefix. */
export function nvrItems(deviceId: string, count = 16): XmlItem[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${deviceId.slice(0, 10)}131${String(i + 1).padStart(7, '0')}`,
    name: `通道${String(i + 1).padStart(2, '0')}`,
    parentId: deviceId,
    civilCode: deviceId.slice(0, 6),
    status: i === 2 ? 'OFF' : 'ON',
    ptzType: i < 2 ? 1 : 3,
  }));
}

/** A platform's catalog: civil codes 34 → 3402 → 340201, a business group with two virtual organisations, cameras under them, one alarm input. */
export function platformItems(): XmlItem[] {
  return [
    { id: '34', name: '安徽省' },
    { id: '3402', name: '芜湖市' },
    { id: '340201', name: '镜湖区' },
    { id: '34020000002150000001', name: '治安业务' },
    { id: '34020000002160000001', name: '城区派出所', parentId: '34020000002150000001', businessGroupId: '34020000002150000001' },
    { id: '34020000002160000002', name: '巡逻中队', parentId: '34020000002160000001', businessGroupId: '34020000002150000001' },
    {
      id: '34020000001320000101',
      name: '广场东',
      parentId: '34020000002160000001',
      civilCode: '340201',
      status: 'ON',
      ptzType: 1,
      longitude: 118.38,
      latitude: 31.33,
      address: '中山路1号',
    },
    { id: '34020000001320000102', name: '广场西', parentId: '34020000002160000002', civilCode: '340201', status: 'OFF' },
    { id: '34020000001310000103', name: '路口', civilCode: '340201', status: 'ON' },
    { id: '34020000001340000001', name: '门磁', parentId: '34020000002160000001', status: 'ON' },
  ];
}
