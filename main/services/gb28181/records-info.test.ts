// Tests of RecordInfo: device local times, the query's fields, items from several Response MESSAGEs (quirks: lower-case tags, no FilePath, duplicates, items outside the range) merged into ranges.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { formatGbTime, mergeRanges, parseGbTime, parseRecordItems, recordInfoQueryFields, sumNum } from './records-info';
import type { Manscdp } from './signalling';

const CN = 480;
const ch = '34020000001320000001';
/** 2026-12-07 08:00:00 in China (UTC+8) = 00:00:00 UTC. */
const T0 = Date.UTC(2026, 11, 7, 0, 0, 0);

/** A Response as the signalling layer hands it over: fast-xml-parser output, numbers kept as strings. */
function response(xml: string): Manscdp {
  const doc = new XMLParser({ parseTagValue: false, ignoreAttributes: false, trimValues: true }).parse(xml) as Record<string, Record<string, unknown>>;
  const rootName = Object.keys(doc).find((k) => k.toLowerCase() === 'response')!;
  const { CmdType, SN, DeviceID, ...fields } = doc[rootName]!;
  return { root: 'Response', cmdType: String(CmdType ?? 'RecordInfo'), sn: Number(SN ?? 1), deviceId: String(DeviceID ?? ch), fields };
}

const item = (start: string, end: string, extra = '') =>
  `<Item><DeviceID>${ch}</DeviceID><Name>Cam 1</Name>${extra}<StartTime>${start}</StartTime><EndTime>${end}</EndTime><Secrecy>0</Secrecy><Type>time</Type></Item>`;

describe('GB times', () => {
  it('formats and parses the device local time at its UTC offset', () => {
    expect(formatGbTime(T0, CN)).toBe('2026-12-07T08:00:00');
    expect(formatGbTime(T0 + 999, CN)).toBe('2026-12-07T08:00:00');
    expect(formatGbTime(T0, 0)).toBe('2026-12-07T00:00:00');
    expect(parseGbTime('2026-12-07T08:00:00', CN)).toBe(T0);
    expect(parseGbTime(' 2026-12-07 08:00:05 ', CN)).toBe(T0 + 5000);
    expect(parseGbTime('2026-12-07T08:00:05.250', CN)).toBe(T0 + 5000);
    expect(parseGbTime('2026-12-07T00:00:05Z', CN)).toBe(T0 + 5000);
    expect(parseGbTime('2026-12-07T09:00:05+09:00', CN)).toBe(T0 + 5000);
    expect(parseGbTime('yesterday', CN)).toBeNull();
    expect(parseGbTime(undefined, CN)).toBeNull();
  });

  it('builds the query fields for the channel with an inclusive end second', () => {
    expect(recordInfoQueryFields({ channelId: ch, startMs: T0, endMs: T0 + 3_600_000, type: 'all', utcOffsetMin: CN })).toEqual({
      DeviceID: ch,
      StartTime: '2026-12-07T08:00:00',
      EndTime: '2026-12-07T08:59:59',
      Secrecy: 0,
      Type: 'all',
    });
  });
});

describe('RecordInfo items', () => {
  const q = { channelId: ch, startMs: T0, endMs: T0 + 3_600_000, utcOffsetMin: CN };

  it('collects items of several MESSAGEs, drops duplicates, clips to the range and sorts', () => {
    const a = response(
      `<?xml version="1.0" encoding="GB2312"?><Response><CmdType>RecordInfo</CmdType><SN>7</SN><DeviceID>${ch}</DeviceID><SumNum>4</SumNum>` +
        `<RecordList Num="2">${item('2026-12-07T08:30:00', '2026-12-07T08:40:00', '<FilePath>/rec/2.mp4</FilePath>')}${item('2026-12-07T07:50:00', '2026-12-07T08:10:00', '<FilePath></FilePath>')}</RecordList></Response>`,
    );
    // the second MESSAGE: lower-case tags, one item repeated from the first, one wholly after the range, one unreadable
    const b = response(
      `<response><cmdtype>RecordInfo</cmdtype><sn>7</sn><deviceid>${ch}</deviceid><sumnum>4</sumnum><recordlist num="2">` +
        `<item><starttime>2026-12-07T08:30:00</starttime><endtime>2026-12-07T08:40:00</endtime><filepath>/rec/2.mp4</filepath><type>Time</type><devicEID>${ch}</devicEID></item>` +
        `<item><starttime>2026-12-07T10:00:00</starttime><endtime>2026-12-07T10:10:00</endtime></item>` +
        `<item><starttime>2026-12-07T08:50:00</starttime><endtime>garbage</endtime></item>` +
        `</recordlist></response>`,
    );
    expect(sumNum(a)).toBe(4);
    const r = parseRecordItems([a, b], q);
    expect(r.sumNum).toBe(4);
    expect(r.dropped).toBe(1);
    expect(r.items).toEqual([
      { channelId: ch, name: 'Cam 1', filePath: null, startMs: T0, endMs: T0 + 600_000, type: 'time', secrecy: 0, sizeBytes: null },
      { channelId: ch, name: 'Cam 1', filePath: '/rec/2.mp4', startMs: T0 + 1_800_000, endMs: T0 + 2_400_000, type: 'time', secrecy: 0, sizeBytes: null },
    ]);
  });

  it('reads a single Item, an empty list and a missing DeviceID', () => {
    const one = response(
      `<Response><CmdType>RecordInfo</CmdType><SN>1</SN><DeviceID>${ch}</DeviceID><SumNum>1</SumNum><RecordList Num="1"><Item><StartTime>2026-12-07T08:00:00</StartTime><EndTime>2026-12-07T08:00:30</EndTime><Type>alarm</Type><FileSize>1234</FileSize></Item></RecordList></Response>`,
    );
    const none = response(
      `<Response><CmdType>RecordInfo</CmdType><SN>1</SN><DeviceID>${ch}</DeviceID><SumNum>0</SumNum><RecordList Num="0"></RecordList></Response>`,
    );
    const r = parseRecordItems([one, none], q);
    expect(r.items).toEqual([{ channelId: ch, name: null, filePath: null, startMs: T0, endMs: T0 + 30_000, type: 'alarm', secrecy: 0, sizeBytes: 1234 }]);
    expect(parseRecordItems([none], q)).toEqual({ items: [], dropped: 0, sumNum: 0 });
  });
});

describe('mergeRanges', () => {
  const it_ = (startS: number, endS: number, type = 'time') => ({
    channelId: ch,
    name: null,
    filePath: null,
    startMs: T0 + startS * 1000,
    endMs: T0 + endS * 1000,
    type,
    secrecy: 0,
    sizeBytes: null,
  });

  it('joins overlapping and touching items, keeps gaps, collects the types', () => {
    const ranges = mergeRanges([it_(100, 200), it_(0, 60), it_(60, 90, 'alarm'), it_(150, 300), it_(300.5, 400), it_(500, 600)]);
    expect(ranges).toEqual([
      { startMs: T0, endMs: T0 + 90_000, types: ['alarm', 'time'] },
      { startMs: T0 + 100_000, endMs: T0 + 400_000, types: ['time'] },
      { startMs: T0 + 500_000, endMs: T0 + 600_000, types: ['time'] },
    ]);
    expect(mergeRanges([])).toEqual([]);
  });
});
