// The audit chain's hashed text is exactly the canonical JSON of the row's fields (the documented definition).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../common/canonical-json';
import { auditEntryCanonical, auditEntryHash, checkpointPayload, type ChainedFields } from './audit-chain';

const rows: ChainedFields[] = [
  {
    id: 1,
    tsMs: 1_760_000_000_000,
    userId: 7,
    username: 'officer7',
    action: 'live.view',
    targetType: 'camera',
    targetId: '5',
    detailJson: '{"stream":"main"}',
    ip: '10.1.2.3',
    prevHash: '0'.repeat(64),
  },
  { id: 2, tsMs: 0, userId: null, username: null, action: 'x', targetType: null, targetId: null, detailJson: null, ip: null, prevHash: 'f'.repeat(64) },
  {
    id: 3,
    tsMs: 5,
    userId: 1,
    username: '张三 "q"\n\u2028',
    action: 'a\\b',
    targetType: 't',
    targetId: '\u0000',
    detailJson: '{"a":[1,2]}',
    ip: '::1',
    prevHash: 'a'.repeat(64),
  },
];

describe('audit chain hashing', () => {
  it('hashes the canonical JSON of the fields, format and prev_hash', () => {
    for (const f of rows) {
      const expected = canonicalJson({
        format: 'argus-audit/1',
        id: f.id,
        tsMs: f.tsMs,
        userId: f.userId,
        username: f.username,
        action: f.action,
        targetType: f.targetType,
        targetId: f.targetId,
        detail: f.detailJson,
        ip: f.ip,
        prevHash: f.prevHash,
      });
      expect(auditEntryCanonical(f)).toBe(expected);
      expect(auditEntryHash(f)).toBe(createHash('sha256').update(expected, 'utf8').digest('hex'));
    }
  });

  it('signs checkpoints over their canonical JSON', () => {
    expect(checkpointPayload({ lastId: 4, hash: 'ab', tsMs: 9, reason: 'rows' })).toBe(
      '{"format":"argus-audit-checkpoint/1","hash":"ab","lastId":4,"reason":"rows","tsMs":9}',
    );
  });
});
