// DeviceControl bodies as the wire carries them (GB2312 MANSCDP) and the answers devices give: PresetQuery lists, PTZPosition, Result.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { answered, commandName, controlFields, positionOf, presetsOf, resultOf, type GbControlCommand } from './device-control';
import { decodeManscdp, encodeManscdp } from './manscdp';
import { presetHex } from './ptz-cmd';
import { freePresetIndex, HOME_PRESET_INDEX } from './ptz-driver';

const CH = '34020000001320000011';

function wire(c: GbControlCommand): string {
  const body = encodeManscdp({ root: 'Control', cmdType: 'DeviceControl', sn: 11, deviceId: CH, fields: controlFields(c) });
  return iconv.decode(body, 'gb2312');
}

const gb = (xml: string) => decodeManscdp(iconv.encode(xml, 'gb2312'));

describe('DeviceControl', () => {
  it('writes PTZCmd after CmdType/SN/DeviceID, with its control priority', () => {
    const xml = wire({ kind: 'ptz', hex: presetHex('goto', 3) });
    expect(xml).toMatch(
      /<Control>\s*<CmdType>DeviceControl<\/CmdType>\s*<SN>11<\/SN>\s*<DeviceID>34020000001320000011<\/DeviceID>\s*<PTZCmd>A50F01820003003A<\/PTZCmd>/,
    );
    expect(xml).toMatch(/<Info>\s*<ControlPriority>5<\/ControlPriority>\s*<\/Info>/);
    expect(decodeManscdp(iconv.encode(xml, 'gb2312')).fields.PTZCmd).toBe('A50F01820003003A');
  });

  it('writes TeleBoot, RecordCmd, GuardCmd, AlarmCmd and HomePosition as annex A names them', () => {
    expect(wire({ kind: 'teleBoot' })).toContain('<TeleBoot>Boot</TeleBoot>');
    expect(wire({ kind: 'record', on: true })).toContain('<RecordCmd>Record</RecordCmd>');
    expect(wire({ kind: 'record', on: false })).toContain('<RecordCmd>StopRecord</RecordCmd>');
    expect(wire({ kind: 'guard', on: true })).toContain('<GuardCmd>SetGuard</GuardCmd>');
    expect(wire({ kind: 'guard', on: false })).toContain('<GuardCmd>ResetGuard</GuardCmd>');
    expect(wire({ kind: 'resetAlarm', method: null, type: null })).toContain('<AlarmCmd>ResetAlarm</AlarmCmd>');
    expect(wire({ kind: 'resetAlarm', method: 2, type: 1 })).toMatch(
      /<AlarmCmd>ResetAlarm<\/AlarmCmd>\s*<Info>\s*<AlarmMethod>2<\/AlarmMethod>\s*<AlarmType>1<\/AlarmType>\s*<\/Info>/,
    );
    expect(wire({ kind: 'homePosition', enabled: true, resetTimeS: 30, presetIndex: 255 })).toMatch(
      /<HomePosition>\s*<Enabled>1<\/Enabled>\s*<ResetTime>30<\/ResetTime>\s*<PresetIndex>255<\/PresetIndex>\s*<\/HomePosition>/,
    );
  });

  it('waits for a Response only where the standard has the device send one', () => {
    expect(answered({ kind: 'ptz', hex: '' })).toBe(false);
    expect(answered({ kind: 'teleBoot' })).toBe(false);
    expect(answered({ kind: 'record', on: true })).toBe(true);
    expect(answered({ kind: 'resetAlarm', method: null, type: null })).toBe(true);
    expect(commandName({ kind: 'record', on: false })).toBe('RecordCmd StopRecord');
    expect(resultOf(gb('<Response><CmdType>DeviceControl</CmdType><SN>11</SN><DeviceID>d</DeviceID><Result> ok </Result></Response>'))).toBe('OK');
    expect(resultOf(gb('<Response><CmdType>DeviceControl</CmdType><SN>11</SN><DeviceID>d</DeviceID><Result>ERROR</Result></Response>'))).toBe('ERROR');
    expect(resultOf(gb('<Response><CmdType>DeviceControl</CmdType><SN>11</SN><DeviceID>d</DeviceID></Response>'))).toBe('');
  });
});

describe('PresetQuery and PTZPosition answers', () => {
  it('lists presets from several Response MESSAGEs, GB2312 names, dropping duplicates and bad ids', () => {
    const one = gb(`<?xml version="1.0" encoding="GB2312"?>
<Response><CmdType>PresetQuery</CmdType><SN>5</SN><DeviceID>${CH}</DeviceID>
<PresetList Num="3">
<Item><PresetID>2</PresetID><PresetName>大门</PresetName></Item>
<Item><PresetID>1</PresetID><PresetName>停车场</PresetName></Item>
<Item><PresetID>300</PresetID><PresetName>bad</PresetName></Item>
</PresetList></Response>`);
    const two = gb(`<response><cmdtype>PresetQuery</cmdtype><sn>5</sn><deviceid>${CH}</deviceid>
<presetlist num="2"><item><presetid>2</presetid><presetname>again</presetname></item><item><presetid>7</presetid></item></presetlist></response>`);
    expect(presetsOf([one, two])).toEqual([
      { index: 1, name: '停车场' },
      { index: 2, name: '大门' },
      { index: 7, name: '' },
    ]);
    expect(presetsOf([gb(`<Response><CmdType>PresetQuery</CmdType><SN>5</SN><DeviceID>${CH}</DeviceID><PresetList Num="0"></PresetList></Response>`)])).toEqual(
      [],
    );
  });

  it('reads PTZPosition (2022), null without Pan/Tilt', () => {
    expect(
      positionOf(gb(`<Response><CmdType>PTZPosition</CmdType><SN>6</SN><DeviceID>${CH}</DeviceID><Pan>120.5</Pan><Tilt>-10</Tilt><Zoom>3</Zoom></Response>`)),
    ).toEqual({
      pan: 120.5,
      tilt: -10,
      zoom: 3,
    });
    expect(positionOf(gb(`<Response><CmdType>PTZPosition</CmdType><SN>6</SN><DeviceID>${CH}</DeviceID><Zoom>3</Zoom></Response>`))).toBeNull();
  });

  it('gives new presets the lowest free index 1–254 (255 is home)', () => {
    expect(HOME_PRESET_INDEX).toBe(255);
    expect(freePresetIndex([])).toBe(1);
    expect(freePresetIndex(['1', '2', '4', 'tok'])).toBe(3);
    expect(freePresetIndex(Array.from({ length: 254 }, (_, i) => String(i + 1)))).toBeNull();
  });
});
