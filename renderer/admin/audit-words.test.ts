// Wording of audit entries in both languages (Asia/Shanghai zone): targets, enumerations, times, changes, password reasons.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../common/api';
import { AlarmRuleBody } from '../../common/alarms';
import { AUDIT_FIELDS } from '../i18n/audit-fields';
import { makeI18n } from '../i18n/index';
import { auditActionLabel, auditDetailFields, auditTargetLabel } from './audit-words';

beforeAll(() => {
  process.env.TZ = 'Asia/Shanghai';
});

const T = Date.UTC(2026, 11, 6, 6, 3, 7); // 14:03:07 in Shanghai
const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  tsMs: T,
  userId: 1,
  username: 'admin',
  action: 'x',
  targetType: null,
  targetId: null,
  detail: null,
  ip: null,
  ...over,
});
const zh = makeI18n('zh-CN');
const en = makeI18n('en');
const fields = (i: typeof zh, e: AuditEntry) => auditDetailFields(i, e).map((f) => `${f.label}=${f.value}`);

describe('audit wording', () => {
  it('words actions, and shows an unknown one as written', () => {
    expect(auditActionLabel(zh.t, 'live.view')).toBe('观看实时视频');
    expect(auditActionLabel(en.t, 'live.view')).toBe('Live video watched');
    expect(auditActionLabel(zh.t, 'future.thing')).toBe('future.thing');
  });

  it('words targets with their name from the detail', () => {
    expect(auditTargetLabel(en.t, entry({ targetType: 'camera', targetId: '3', detail: { name: 'Gate' } }))).toBe('Camera 3 · Gate');
    expect(auditTargetLabel(zh.t, entry({ targetType: 'camera', targetId: '3', detail: { name: 'Gate' } }))).toBe('摄像机 3 · Gate');
    expect(auditTargetLabel(en.t, entry({ targetType: 'alarm', targetId: '35' }))).toBe('Alarm #35');
    expect(auditTargetLabel(zh.t, entry({ targetType: 'alarm_rule', targetId: '2', detail: { name: 'Night' } }))).toBe('报警联动规则 #2 · Night');
    expect(auditTargetLabel(zh.t, entry({ targetType: 'widget', targetId: '9' }))).toBe('对象 9');
  });

  it('labels detail fields and words enumerations, times, durations and changes', () => {
    const raise = entry({ action: 'alarm.raise', detail: { type: 'motion', severity: 'major', sourceId: 3, source: 'Gate', test: false, rules: [1, 2] } });
    expect(fields(zh, raise)).toEqual(['类型=移动侦测', '优先级=重要', '报警源=3', '来源=Gate', '测试=否', '规则=1, 2']);
    expect(fields(en, raise)[0]).toBe('Type=Motion');
    const open = entry({ action: 'playback.open', detail: { cameraId: 3, startMs: T, endMs: T + 60_000 } });
    expect(fields(zh, open)).toEqual(['摄像机=3', '开始时间=2026-12-06 14:03:07 UTC+8', '结束时间=2026-12-06 14:04:07 UTC+8']);
    const user = entry({
      action: 'user.update',
      detail: { username: 'bob', changes: { role: { from: 'officer', to: 'dispatcher' }, disabled: { from: false, to: true } } },
    });
    expect(fields(zh, user)).toEqual(['用户名=bob', '角色=民警 → 调度员', '停用=否 → 是']);
    const rejected = entry({ action: 'unit.publish_rejected', detail: { throttledForMs: 60_000 } });
    expect(fields(en, rejected)).toEqual(['Blocked for=1 min 00 s']);
    const failed = entry({ action: 'auth.login_failed', detail: { username: 'x', reason: 'bad_password' } });
    expect(fields(zh, failed)).toEqual(['用户名=x', '原因=密码错误']);
    const pw = entry({ action: 'user.password_change_failed', detail: { reason: 'password.too_short' } });
    expect(fields(en, pw)).toEqual(['Reason=Too short: at least 10 characters.']);
    const stop = entry({ action: 'ptz.stop', detail: { reason: 'move timeout', holder: 'ann', by: 'lost release' } });
    expect(fields(zh, stop)).toEqual(['原因=转动超时', '控制者=ann', '执行者=控制中断']);
    expect(fields(en, entry({ action: 'ptz.preset.goto', detail: { presetId: 2, by: 'alarm 35' } }))).toEqual(['Preset=2', 'By=Alarm #35']);
    const snap = entry({ action: 'snapshot.create', detail: { source: 'live', tMs: T } });
    expect(fields(zh, snap)).toEqual(['来源=实时', '时间=2026-12-06 14:03:07 UTC+8']);
  });

  it('never shows JSON for nested values', () => {
    const rule = entry({
      action: 'alarm.rule.update',
      detail: { name: 'r', changes: { actions: { from: { sound: true }, to: { sound: false, snapshot: true } } } },
    });
    const text = fields(zh, rule).join(' ');
    expect(text).not.toMatch(/[{}"]/);
    expect(text).toContain('联动动作=');
  });
});

describe('alarm rule details in the audit log', () => {
  /** Every property name in a JSON schema, nested objects, arrays and nullable/optional wrappers included. */
  function propertyNames(json: unknown, out = new Set<string>()): Set<string> {
    if (Array.isArray(json)) for (const x of json) propertyNames(x, out);
    else if (json && typeof json === 'object') {
      const o = json as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) out.add(k);
      for (const v of Object.values(o)) propertyNames(v, out);
    }
    return out;
  }

  it('labels every field of a rule body (actions, schedule) in both languages, so no raw key is shown', () => {
    const keys = [...propertyNames(AlarmRuleBody.json)];
    expect(keys).toEqual(expect.arrayContaining(['actions', 'sound', 'wall', 'escalate', 'startMinute']));
    expect(keys.filter((k) => !AUDIT_FIELDS.has(k))).toEqual([]);
    const zh = makeI18n('zh-CN');
    const fields = auditDetailFields(zh, {
      id: 1,
      atMs: 0,
      actor: 'a',
      action: 'alarm_rule.create',
      targetType: 'alarm_rule',
      targetId: '2',
      ip: null,
      detail: { actions: { sound: true, wall: { window: 0, tile: null } } },
    } as unknown as AuditEntry);
    expect(fields.map((f) => f.value).join(' ')).not.toMatch(/\b(sound|wall|window|tile)\b/);
  });
});
