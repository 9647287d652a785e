// Alarm and MobilePosition notifications as field devices send them (GB2312, lower-case tags, missing fields, odd times) read into alarms and positions; device times without a zone.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { eventTypeOf, parseGbAlarm, severityOf } from './alarm-notify';
import { parseGbTime } from './gb-time';
import { decodeManscdp } from './manscdp';
import { callsignOf, parseMobilePosition } from './mobile-position';

const RECEIVED = Date.UTC(2026, 11, 7, 0, 30, 0);
/** China Standard Time: UTC+8 all year. */
const CST = () => 480;

const gb = (xml: string) => decodeManscdp(iconv.encode(xml, 'gb2312').toString('latin1'));

describe('device times', () => {
  it('reads an unzoned time as the device local time, honours an explicit zone, refuses nonsense', () => {
    expect(parseGbTime('2026-12-07T08:00:00', CST)).toBe(Date.UTC(2026, 11, 7, 0, 0, 0));
    expect(parseGbTime('2026-12-07 08:00:00', CST)).toBe(Date.UTC(2026, 11, 7, 0, 0, 0));
    expect(parseGbTime(' 2026-12-07T08:00:00.250 ', CST)).toBe(Date.UTC(2026, 11, 7, 0, 0, 0, 250));
    expect(parseGbTime('2026-12-7T8:00', CST)).toBe(Date.UTC(2026, 11, 7, 0, 0, 0));
    expect(parseGbTime('2026-12-07T08:00:00Z', CST)).toBe(Date.UTC(2026, 11, 7, 8, 0, 0));
    expect(parseGbTime('2026-12-07T08:00:00+08:00', () => 0)).toBe(Date.UTC(2026, 11, 7, 0, 0, 0));
    expect(parseGbTime('2026-12-07T08:00:00-0130', () => 0)).toBe(Date.UTC(2026, 11, 7, 9, 30, 0));
    expect(parseGbTime('2026-02-30T08:00:00', CST)).toBeNull();
    expect(parseGbTime('2026-12-07T25:00:00', CST)).toBeNull();
    expect(parseGbTime('yesterday', CST)).toBeNull();
    expect(parseGbTime('', CST)).toBeNull();
    expect(parseGbTime(undefined)).toBeNull();
  });

  it('uses the offset in effect at that local time (a zone with summer time)', () => {
    // Europe/Berlin-like: +60 before 2026-03-29 01:00 UTC, +120 after.
    const berlin = (ms: number) => (ms >= Date.UTC(2026, 2, 29, 1) ? 120 : 60);
    expect(parseGbTime('2026-03-29T12:00:00', berlin)).toBe(Date.UTC(2026, 2, 29, 10));
    expect(parseGbTime('2026-03-28T12:00:00', berlin)).toBe(Date.UTC(2026, 2, 28, 11));
  });
});

describe('Notify/Alarm', () => {
  it('reads a GB2312 body-camera SOS with place, priority and a Chinese description', () => {
    const m = gb(`<?xml version="1.0" encoding="GB2312"?>
<Notify>
<CmdType>Alarm</CmdType>
<SN>42</SN>
<DeviceID>34020000001320000011</DeviceID>
<AlarmPriority>1</AlarmPriority>
<AlarmMethod>1</AlarmMethod>
<AlarmTime>2026-12-07T08:00:00</AlarmTime>
<AlarmDescription>一键报警</AlarmDescription>
<Longitude>117.2500</Longitude>
<Latitude>31.8300</Latitude>
<Info><AlarmType>1</AlarmType></Info>
</Notify>`);
    const a = parseGbAlarm(m, RECEIVED, CST);
    expect(a).toEqual({
      sourceCode: '34020000001320000011',
      priority: 1,
      method: 1,
      type: 1,
      atMs: Date.UTC(2026, 11, 7, 0, 0, 0),
      lat: 31.83,
      lon: 117.25,
      description: '一键报警',
    });
    expect(eventTypeOf(a, true)).toBe('sos');
    expect(severityOf(a.priority)).toBe('critical');
  });

  it('tolerates lower-case tags, AlarmType beside AlarmMethod, no time, no place and a 0/0 "no fix"', () => {
    const m = gb(`<?xml version = "1.0" encoding = "gb2312" standalone="yes" ?>
<notify>
  <cmdtype>Alarm</cmdtype>
  <sn>7</sn>
  <deviceid>34020000001340000001</deviceid>
  <alarmmethod> 2 </alarmmethod>
  <alarmtype>2</alarmtype>
  <longitude>0</longitude>
  <latitude>0</latitude>
  <extra>vendor field</extra>
</notify>`);
    const a = parseGbAlarm(m, RECEIVED, CST);
    expect(a).toMatchObject({
      sourceCode: '34020000001340000001',
      priority: null,
      method: 2,
      type: 2,
      atMs: RECEIVED,
      lat: null,
      lon: null,
      description: null,
    });
    expect(eventTypeOf(a, false)).toBe('tamper');
    expect(severityOf(a.priority)).toBeNull();
  });

  it('maps methods and types to the alarm center types', () => {
    const a = (method: number | null, type: number | null) => ({
      ...parseGbAlarm(gb('<Notify><CmdType>Alarm</CmdType><SN>1</SN><DeviceID>d</DeviceID></Notify>'), RECEIVED),
      method,
      type,
    });
    expect(eventTypeOf(a(2, 1), false)).toBe('video_loss');
    expect(eventTypeOf(a(5, 2), false)).toBe('motion');
    expect(eventTypeOf(a(5, 11), false)).toBe('tamper');
    expect(eventTypeOf(a(7, null), true)).toBe('sos');
    expect(eventTypeOf(a(7, null), false)).toBe('digital_input');
    expect(eventTypeOf(a(null, null), false)).toBe('digital_input');
    expect(eventTypeOf(a(6, 1), false)).toBe('digital_input');
  });

  it('drops coordinates that are not numbers or out of range, and an odd time falls back to receipt', () => {
    const m = gb(
      '<Notify><CmdType>Alarm</CmdType><SN>1</SN><DeviceID>d</DeviceID><AlarmTime>07/12/2026 08:00</AlarmTime><Longitude>abc</Longitude><Latitude>31.8</Latitude></Notify>',
    );
    expect(parseGbAlarm(m, RECEIVED, CST)).toMatchObject({ lat: null, lon: null, atMs: RECEIVED });
    const far = gb('<Notify><CmdType>Alarm</CmdType><SN>1</SN><DeviceID>d</DeviceID><Longitude>200</Longitude><Latitude>31.8</Latitude></Notify>');
    expect(parseGbAlarm(far, RECEIVED, CST)).toMatchObject({ lat: null, lon: null });
  });
});

describe('Notify/MobilePosition', () => {
  it('reads time, place, speed (km/h → m/s), direction and altitude', () => {
    const m = gb(`<?xml version="1.0" encoding="GB2312"?>
<Notify>
<CmdType>MobilePosition</CmdType>
<SN>3</SN>
<DeviceID>34020000001320000011</DeviceID>
<Time>2026-12-07T08:00:05</Time>
<Longitude>117.2512</Longitude>
<Latitude>31.8301</Latitude>
<Speed>36.0</Speed>
<Direction>90.5</Direction>
<Altitude>42</Altitude>
</Notify>`);
    expect(parseMobilePosition(m, RECEIVED, CST)).toEqual({
      tMs: Date.UTC(2026, 11, 7, 0, 0, 5),
      lat: 31.8301,
      lon: 117.2512,
      altM: 42,
      speedMps: 10,
      headingDeg: 90.5,
    });
  });

  it('keeps a position without the optional fields; none without latitude/longitude', () => {
    const bare = gb('<notify><cmdtype>MobilePosition</cmdtype><sn>4</sn><deviceid>d</deviceid><longitude>116.4</longitude><latitude>39.9</latitude></notify>');
    expect(parseMobilePosition(bare, RECEIVED, CST)).toEqual({ tMs: RECEIVED, lat: 39.9, lon: 116.4, altM: null, speedMps: null, headingDeg: null });
    const odd = gb(
      '<Notify><CmdType>MobilePosition</CmdType><SN>5</SN><DeviceID>d</DeviceID><Longitude>116.4</Longitude><Latitude>39.9</Latitude><Speed>-1</Speed><Direction>400</Direction><Altitude></Altitude></Notify>',
    );
    expect(parseMobilePosition(odd, RECEIVED, CST)).toMatchObject({ speedMps: null, headingDeg: null, altM: null });
    expect(
      parseMobilePosition(gb('<Notify><CmdType>MobilePosition</CmdType><SN>6</SN><DeviceID>d</DeviceID><Longitude>116.4</Longitude></Notify>'), RECEIVED),
    ).toBeNull();
    expect(
      parseMobilePosition(
        gb('<Notify><CmdType>MobilePosition</CmdType><SN>6</SN><DeviceID>d</DeviceID><Longitude>0</Longitude><Latitude>0</Latitude></Notify>'),
        RECEIVED,
      ),
    ).toBeNull();
  });

  it('makes a callsign from the device name', () => {
    expect(callsignOf('执法记录仪 一号', '34020000001320000011')).toBe('执法记录仪 一号');
    expect(callsignOf('Cam/#1 (body)', '34020000001320000011')).toBe('Cam1 body');
    expect(callsignOf('///', '34020000001320000011')).toBe('001320000011');
    expect(callsignOf('x'.repeat(40), '1')).toHaveLength(32);
  });
});
