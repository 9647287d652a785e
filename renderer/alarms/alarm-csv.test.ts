// Alarm history CSV and action outcomes in the user's language and zone (Asia/Shanghai here).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, AlarmActionOutcome } from '../../common/alarms';
import { makeI18n } from '../i18n/index';
import { alarmsCsv, alarmsCsvName } from './alarm-csv';
import { outcomeText } from './outcome-words';

beforeAll(() => {
  process.env.TZ = 'Asia/Shanghai';
});

const T = Date.UTC(2026, 11, 6, 6, 3, 7); // 2026-12-06 14:03:07 in Shanghai
const alarm: Alarm = {
  id: 35,
  sourceId: 3,
  sourceName: 'Gate, north',
  type: 'motion',
  severity: 'major',
  state: 'new',
  firstMs: T,
  lastMs: T + 60_000,
  count: 2,
  lat: 31.2,
  lon: 121.5,
  message: '=1+1',
  reason: null,
  deviceEventId: null,
  test: false,
  ruleIds: [],
  escalatedToRole: 'dispatcher',
  escalatedMs: T,
  handler: null,
  reporter: null,
  cause: null,
  steps: [],
  occurrences: [],
  actions: [],
};
const zh = makeI18n('zh-CN');
const en = makeI18n('en');

describe('alarmsCsv', () => {
  it('writes Chinese headers, worded codes and local times with the offset, after a BOM', () => {
    const csv = alarmsCsv(zh, [alarm]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [head, row, end] = csv.slice(1).split('\r\n');
    expect(head).toBe('序号,报警类型,优先级,状态,报警源,报警源编号,首次发生时间,最近发生时间,发生次数,处理人,升级至,原因,测试报警,纬度,经度,描述');
    expect(row).toBe(`35,移动侦测,重要,未确认,"Gate, north",3,2026-12-06 14:03:07 UTC+8,2026-12-06 14:04:07 UTC+8,2,,调度员,,否,31.2,121.5,"'=1+1"`);
    expect(end).toBe('');
  });

  it('writes English the same way', () => {
    const [head, row] = alarmsCsv(en, [alarm]).slice(1).split('\r\n');
    expect(head!.startsWith('No.,Type,Priority,State,Source,')).toBe(true);
    expect(row).toContain('Motion,Major,New,');
    expect(row).toContain('2026-12-06 14:03:07 UTC+8');
  });

  it('names the file in the language with the local date (the UTC date is still the 5th)', () => {
    const lateNight = Date.UTC(2026, 11, 5, 17, 0, 0); // 01:00 on the 6th in Shanghai
    expect(alarmsCsvName(zh, lateNight)).toBe('报警记录_2026-12-06.csv');
    expect(alarmsCsvName(en, lateNight)).toBe('Alarm records_2026-12-06.csv');
  });
});

describe('outcomeText', () => {
  const out = (o: Partial<AlarmActionOutcome>): AlarmActionOutcome => ({
    ruleId: 1,
    kind: 'wall',
    status: 'sent',
    message: 'x',
    resultId: null,
    atMs: T,
    code: null,
    params: {},
    ...o,
  });
  const names = (id: number) => (id === 1 ? 'Gate' : null);

  it('words each code in both languages', () => {
    expect(outcomeText(zh.t, out({ code: 'wall', params: { cameraId: 1, window: 0, tile: null } }), names)).toBe('摄像机 Gate 显示在实时预览的下一个空闲窗格');
    expect(outcomeText(en.t, out({ code: 'wall', params: { cameraId: 7, window: 2, tile: 3 } }), names)).toBe('Camera #7 on the wall of display 2, tile 3');
    expect(outcomeText(zh.t, out({ code: 'sound' }))).toBe('报警声音');
    expect(outcomeText(zh.t, out({ code: 'notify', params: { roles: 'dispatcher,admin', users: '4' } }))).toBe('角色：调度员, 管理员; 用户：#4');
    expect(outcomeText(en.t, out({ code: 'bookmark', status: 'ok', params: { cameraId: 1, beforeS: 10, afterS: 20 } }), names)).toBe(
      'Camera Gate, from 10 s before to 20 s after',
    );
    expect(outcomeText(zh.t, out({ code: 'escalate', params: { role: 'admin', waitedS: 30 } }))).toBe('30 秒内无人确认：已升级至管理员');
    expect(outcomeText(zh.t, out({ code: 'no_camera', status: 'failed' }))).toBe('该报警没有可联动的摄像机');
  });

  it('words a failure with its reason, never a raw error', () => {
    expect(outcomeText(zh.t, out({ kind: 'snapshot', code: 'snapshot', status: 'failed', params: { cameraId: 1, reason: 'no_frame' } }), names)).toBe(
      '摄像机 Gate 的实时抓图：摄像机尚无画面',
    );
    expect(
      outcomeText(en.t, out({ kind: 'ptz', code: 'ptz_preset', status: 'failed', params: { cameraId: 2, presetId: 5, reason: 'timeout', timeoutS: 15 } })),
    ).toBe('Preset 5 on camera #2: no answer within 15 s');
    expect(outcomeText(zh.t, out({ kind: 'snapshot', code: 'snapshot', status: 'failed', params: { cameraId: 2, reason: 'something_new' } }))).toBe(
      '摄像机 #2 的实时抓图：发生错误（详见服务器日志）',
    );
  });

  it('shows an outcome stored before codes as it was written', () => {
    expect(outcomeText(zh.t, out({ code: null, message: 'camera 1 → window 0, next free tile' }))).toBe('camera 1 → window 0, next free tile');
  });
});
