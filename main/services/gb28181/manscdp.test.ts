// Tests of MANSCDP XML: GB2312/GB18030/UTF-8 bodies, lower-case tags and odd whitespace, numbers kept as strings, Item lists, malformed refusals.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeManscdp, encodeManscdp, fieldOf, itemsOf, ManscdpError, textOf } from './manscdp';

const catalogGb2312 = iconv.encode(
  `<?xml version="1.0" encoding="GB2312"?>
<Response>
<CmdType>Catalog</CmdType>
<SN>17430</SN>
<DeviceID>34020000001320000001</DeviceID>
<SumNum>2</SumNum>
<DeviceList Num="1">
<Item>
<DeviceID>34020000001320000011</DeviceID>
<Name>执法记录仪 一号</Name>
<Manufacturer>Hikvision</Manufacturer>
<CivilCode>3402000000</CivilCode>
<Longitude>117.2500</Longitude>
<Status>ON</Status>
</Item>
</DeviceList>
</Response>
`,
  'gb2312',
);

describe('decodeManscdp', () => {
  it('reads a GB2312 Catalog response: Chinese names, numbers as strings, Item always a list', () => {
    const m = decodeManscdp(catalogGb2312.toString('latin1'));
    expect(m).toMatchObject({ root: 'Response', cmdType: 'Catalog', sn: 17430, deviceId: '34020000001320000001', charset: 'GB2312' });
    expect(m.fields.SumNum).toBe('2');
    const items = itemsOf(m.fields.DeviceList);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ DeviceID: '34020000001320000011', Name: '执法记录仪 一号', Longitude: '117.2500', Status: 'ON' });
    expect(fieldOf(m.fields.DeviceList, '@_Num')).toBe('1');
    expect(m.fields).not.toHaveProperty('CmdType');
  });

  it('reads GB18030 characters outside GB2312 and UTF-8 bodies per the declaration', () => {
    const gb18030 = iconv.encode(
      '<?xml version="1.0" encoding="GB18030"?><Notify><CmdType>Alarm</CmdType><SN>1</SN><DeviceID>1</DeviceID><AlarmDescription>𠀀镕</AlarmDescription></Notify>',
      'gb18030',
    );
    expect(decodeManscdp(gb18030).fields.AlarmDescription).toBe('𠀀镕');
    const utf8 = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Notify><CmdType>Keepalive</CmdType><SN>9</SN><DeviceID>x</DeviceID><Info>状态</Info></Notify>',
    );
    expect(decodeManscdp(utf8)).toMatchObject({ charset: 'UTF-8', fields: { Info: '状态' } });
    const gbk = iconv.encode(
      '<?xml version="1.0" encoding="gbk"?><Notify><CmdType>Keepalive</CmdType><SN>9</SN><DeviceID>x</DeviceID><Info>状态</Info></Notify>',
      'gbk',
    );
    expect(decodeManscdp(gbk)).toMatchObject({ charset: 'GBK', fields: { Info: '状态' } });
  });

  it('without a declaration: UTF-8 when the bytes are valid UTF-8, GB18030 otherwise', () => {
    expect(decodeManscdp(Buffer.from('<Notify><CmdType>K</CmdType><SN>1</SN><DeviceID>d</DeviceID><N>北京</N></Notify>')).fields.N).toBe('北京');
    expect(decodeManscdp(iconv.encode('<Notify><CmdType>K</CmdType><SN>1</SN><DeviceID>d</DeviceID><N>北京</N></Notify>', 'gb2312')).fields.N).toBe('北京');
  });

  it('tolerates lower-case tags, odd whitespace, a BOM and trailing NULs', () => {
    const body =
      '\uFEFF<?xml version = "1.0"  encoding = \'gb2312\' ?>\r\n  <notify>\n\t<cmdtype> Keepalive </cmdtype>\r\n<sn>\n 0042 \n</sn><deviceID>34020000001320000001</deviceID>\n<Status>OK</Status>\n</notify>\0\0';
    const m = decodeManscdp(Buffer.from(body, 'utf8'));
    expect(m).toMatchObject({ root: 'Notify', cmdType: 'Keepalive', sn: 42, deviceId: '34020000001320000001', fields: { Status: 'OK' } });
    expect(textOf(fieldOf({ status: 'OK' }, 'Status'))).toBe('OK');
  });

  it("gives known element names in the standard's case, recursively; unknown names stay as sent", () => {
    const xml = `<response><cmdtype>RecordInfo</cmdtype><sn>9</sn><deviceid>34020000001320000011</deviceid><sumnum>3</sumnum>
<RECORDLIST num="2"><item><deviceid>34020000001320000011</deviceid><starttime>2026-12-07T08:00:00</starttime><VendorX>v</VendorX></item>
<item><Deviceid>34020000001320000011</Deviceid><endTime>2026-12-07T09:00:00</endTime></item></RECORDLIST>
<devicelist><Item><deviceid>a</deviceid></Item><item><deviceid>b</deviceid></item></devicelist><notifytype>121</notifytype></response>`;
    const m = decodeManscdp(Buffer.from(xml));
    expect(m).toMatchObject({ root: 'Response', cmdType: 'RecordInfo', sn: 9, deviceId: '34020000001320000011' });
    expect(Object.keys(m.fields)).toEqual(['SumNum', 'RecordList', 'DeviceList', 'NotifyType']);
    expect(m.fields.SumNum).toBe('3');
    expect(m.fields.NotifyType).toBe('121');
    const list = m.fields.RecordList as { '@_Num': string; Item: Record<string, unknown>[] };
    expect(list['@_Num']).toBe('2');
    expect(list.Item).toEqual([
      { DeviceID: '34020000001320000011', StartTime: '2026-12-07T08:00:00', VendorX: 'v' },
      { DeviceID: '34020000001320000011', EndTime: '2026-12-07T09:00:00' },
    ]);
    expect((m.fields.DeviceList as { Item: unknown[] }).Item).toEqual([{ DeviceID: 'a' }, { DeviceID: 'b' }]);
  });

  it('refuses what is not MANSCDP with a ManscdpError', () => {
    const bad = [
      'hello',
      '<Query><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>1</DeviceID>',
      '<Other><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>1</DeviceID></Other>',
      '<Query><SN>1</SN><DeviceID>1</DeviceID></Query>',
      '<Query><CmdType>Catalog</CmdType><SN>x1</SN><DeviceID>1</DeviceID></Query>',
      '<Query><CmdType>Catalog</CmdType><SN>1</SN></Query>',
      '',
    ];
    for (const b of bad) expect(() => decodeManscdp(b), b).toThrow(ManscdpError);
  });
});

describe('encodeManscdp', () => {
  it('encodes GB2312 by default and round-trips fields, attributes and lists', () => {
    const bytes = encodeManscdp({
      root: 'Response',
      cmdType: 'Catalog',
      sn: 5,
      deviceId: '34020000002000000001',
      fields: {
        SumNum: 2,
        DeviceList: {
          '@_Num': 2,
          Item: [
            { DeviceID: 'a', Name: '一号' },
            { DeviceID: 'b', Name: 'B&C <2>' },
          ],
        },
      },
    });
    const head = bytes.subarray(0, 120).toString('latin1');
    expect(head).toMatch(/^<\?xml version="1.0" encoding="GB2312"\?>\r\n<Response>\r\n<CmdType>Catalog<\/CmdType>/);
    expect(bytes.includes(iconv.encode('一号', 'gb2312'))).toBe(true);
    const back = decodeManscdp(bytes);
    expect(back).toMatchObject({ root: 'Response', cmdType: 'Catalog', sn: 5, charset: 'GB2312' });
    expect(back.fields.SumNum).toBe('2');
    expect(itemsOf(back.fields.DeviceList).map((i) => i.Name)).toEqual(['一号', 'B&C <2>']);
  });

  it('encodes UTF-8 when asked', () => {
    const bytes = encodeManscdp({ root: 'Query', cmdType: 'DeviceInfo', sn: 1, deviceId: 'd', fields: {} }, 'UTF-8');
    expect(bytes.toString('utf8')).toContain('encoding="UTF-8"');
    expect(decodeManscdp(bytes)).toMatchObject({ root: 'Query', cmdType: 'DeviceInfo', fields: {} });
  });
});
