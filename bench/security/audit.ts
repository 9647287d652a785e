// bench:security (audit part): audit append cost with the chain and checkpointer running, and offline verification speed (verify-audit on a file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asLog } from '../../common/log';
import { openSiteKey } from '../../main/platform/site-key';
import { AuditChain } from '../../main/services/audit-chain';
import { AuditLog } from '../../main/services/audit-log';
import { verifyAuditFile } from '../../scripts/verify-audit';
import { auditEntryHash, GENESIS_HASH } from '../../storage/audit-chain';
import { openSqliteStore } from '../../storage/sqlite/index';
import { percentile } from '../lib/stats';

export async function run(opts: { smoke: boolean }): Promise<{ lines: string[]; result: Record<string, number> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-audit-'));
  const lines: string[] = [];
  try {
    // 1. Appends through AuditLog (two instances, as in the server) with the checkpointer signing every 100 entries.
    const store = await openSqliteStore(path.join(dir, 'argus.db'), { log: () => undefined });
    const chain = new AuditChain({ store, key: openSiteKey(dir), log: asLog(() => undefined, 'audit') });
    await chain.start();
    const logs = [new AuditLog(store, Date.now), new AuditLog(store, Date.now)];
    const n = opts.smoke ? 2000 : 20_000;
    const us: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await logs[i % 2]!.record({
        actor: { userId: 7, username: 'officer7' },
        action: 'live.view',
        targetType: 'camera',
        targetId: i % 500,
        detail: { stream: 'main' },
        ip: '10.1.2.3',
      });
      us.push((performance.now() - t) * 1000);
    }
    await chain.close();
    await store.close();
    const p50 = percentile(us, 50);
    const p95 = percentile(us, 95);
    lines.push(`audit append: ${n} entries, p50 ${p50.toFixed(0)} µs, p95 ${p95.toFixed(0)} µs (target ≤ 1000 µs)`);

    // 2. A large chained log written in bulk, then verified offline from the file (read-only), as verify-audit does.
    const rows = opts.smoke ? 50_000 : 300_000;
    const big = await openSqliteStore(path.join(dir, 'big.db'), { log: () => undefined });
    await big.db.transaction(async (tx) => {
      const st = await tx.prepare(
        'INSERT INTO audit_log (id, ts_ms, user_id, username, action, target_type, target_id, detail, ip, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      let prev = GENESIS_HASH;
      const params: Array<Array<string | number>> = [];
      for (let id = 1; id <= rows; id++) {
        const r = {
          id,
          tsMs: 1_760_000_000_000 + id,
          userId: 7,
          username: 'officer7',
          action: 'live.view',
          targetType: 'camera',
          targetId: String(id % 500),
          detailJson: '{"stream":"main"}',
          ip: '10.1.2.3',
        };
        const hash = auditEntryHash({ ...r, prevHash: prev });
        params.push([r.id, r.tsMs, r.userId, r.username, r.action, r.targetType, r.targetId, r.detailJson, r.ip, prev, hash]);
        prev = hash;
      }
      await st.runMany(params);
      await st.finalize();
    });
    await big.close();
    const cpu0 = process.cpuUsage();
    const report = await verifyAuditFile(path.join(dir, 'big.db'), openSiteKey(dir).publicKeyPem);
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    if (!report.ok || report.rows !== rows) throw new Error(`verification of the bench log failed: ${JSON.stringify(report.problem)}`);
    const perS = rows / (report.durationMs / 1000);
    lines.push(`verify-audit: ${rows} entries in ${report.durationMs.toFixed(0)} ms = ${Math.round(perS)} entries/s (target ≥ 100,000)`);
    // On a shared machine the wall clock counts other processes' time; CPU time of this process says what it costs.
    lines.push(
      `verify-audit: ${cpuS.toFixed(2)} s CPU = ${Math.round(rows / cpuS)} entries per CPU-second (main thread + SQLite worker); load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    return { lines, result: { audit_append_us_p95: Math.round(p95), verify_audit_rows_per_s: Math.round(perS) } };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
