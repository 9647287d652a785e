// CSV of audit entries in the user's language and zone (Asia/Shanghai here): BOM, worded header/actions/targets/details, local times, file name.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../common/api';
import { makeI18n } from '../i18n/index';
import { auditCsv, auditCsvName } from './audit-csv';

beforeAll(() => {
  process.env.TZ = 'Asia/Shanghai'; // a non-UTC zone: times and the file's date must be local
});

const T = Date.UTC(2026, 11, 5, 20, 30, 0); // 2026-12-06 04:30:00 in Shanghai
const entries: AuditEntry[] = [
  { id: 1, tsMs: T, userId: 2, username: 'ines', action: 'live.view', targetType: 'camera', targetId: '3', detail: { stream: 'main' }, ip: '10.0.0.1' },
  {
    id: 2,
    tsMs: T,
    userId: 1,
    username: 'admin',
    action: 'camera.update',
    targetType: 'camera',
    targetId: '3',
    detail: { name: 'Gate', changes: { enabled: { from: true, to: false } } },
    ip: null,
  },
  {
    id: 3,
    tsMs: T,
    userId: null,
    username: null,
    action: 'alarm.acknowledge',
    targetType: 'alarm',
    targetId: '35',
    detail: { from: 'new', to: 'acknowledged', note: 'a,"b"' },
    ip: null,
  },
  {
    id: 4,
    tsMs: T,
    userId: 1,
    username: '=cmd()',
    action: 'playback.open',
    targetType: 'camera',
    targetId: '3',
    detail: { cameraId: 3, startMs: T, endMs: T + 60_000 },
    ip: null,
  },
];

describe('auditCsv', () => {
  it('writes Chinese headers, worded actions, targets and details, and local times with the offset', () => {
    const csv = auditCsv(makeI18n('zh-CN'), entries);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('序号,时间,用户,操作,对象,地址,详情');
    expect(lines[1]).toBe('1,2026-12-06 04:30:00 UTC+8,ines,观看实时视频,摄像机 3,10.0.0.1,码流: 主码流');
    expect(lines[2]).toBe('2,2026-12-06 04:30:00 UTC+8,admin,修改摄像机,摄像机 3 · Gate,,名称: Gate; 启用: 是 → 否');
    expect(lines[3]).toBe('3,2026-12-06 04:30:00 UTC+8,系统,确认报警,报警 #35,,"从: 未确认; 到: 已确认; 备注: a,""b"""');
    // A formula-like cell is neutralised (quoted, with a leading quote mark).
    expect(lines[4]).toMatch(/^4,2026-12-06 04:30:00 UTC\+8,"'=cmd\(\)",打开录像回放,摄像机 3,,/);
    expect(lines[4]).toContain('开始时间: 2026-12-06 04:30:00 UTC+8; 结束时间: 2026-12-06 04:31:00 UTC+8');
    expect(lines[5]).toBe('');
    expect(csv).not.toMatch(/live\.view|camera\.update|alarm\.acknowledge|"stream"|\{/);
  });

  it('writes English the same way', () => {
    const lines = auditCsv(makeI18n('en'), entries).slice(1).split('\r\n');
    expect(lines[0]).toBe('No.,Time,User,Action,Target,Address,Detail');
    expect(lines[1]).toBe('1,2026-12-06 04:30:00 UTC+8,ines,Live video watched,Camera 3,10.0.0.1,Stream: main stream');
    expect(lines[3]).toContain('Alarm #35');
  });

  it('carries the signed checkpoints and the site public key after the entries, formula cells still neutralised', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAabc=\n-----END PUBLIC KEY-----\n';
    const checkpoints = [{ id: 7, lastId: 4, hash: 'ab'.repeat(32), tsMs: T, reason: 'rows' as const, keyFingerprint: 'cd'.repeat(32), signature: '+sig/=' }];
    const lines = auditCsv(makeI18n('en'), entries, { checkpoints, key: { algorithm: 'Ed25519', pem, fingerprint: 'cd'.repeat(32) } })
      .slice(1)
      .split('\r\n');
    const at = lines.indexOf('Signed checkpoints (Ed25519 over argus-audit-checkpoint/1)');
    expect(at).toBe(entries.length + 2); // header, entries, a blank row
    expect(lines[at - 1]).toBe('');
    expect(lines[at + 1]).toBe('Checkpoint,Covers entries up to,Hash of that entry,Signed at (UTC),Reason,Key fingerprint,Signature (base64)');
    // A base64 signature may start with '+': neutralised like any formula (the quote mark is not part of it).
    expect(lines[at + 2]).toBe(`7,4,${'ab'.repeat(32)},2026-12-05T20:30:00.000Z,rows,${'cd'.repeat(32)},"'+sig/="`);
    expect(lines[at + 4]).toBe('"Site public key (SPKI DER, base64)",MCowBQYDK2VwAyEAabc=');
    expect(lines[at + 5]).toBe(`Site key fingerprint (SHA-256),${'cd'.repeat(32)}`);
  });

  it('names the file in the language with the local date', () => {
    expect(auditCsvName(makeI18n('zh-CN'), T)).toBe('操作日志_2026-12-06.csv');
    expect(auditCsvName(makeI18n('en'), T)).toBe('Audit log_2026-12-06.csv');
  });
});
