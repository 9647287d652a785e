// Rights check cost (issue 13 benchmark): 10,000 channels under a 3-level tree, 500 users with role, user, group and node grants; p95 of one check.
import { ROOT_NODE_ID } from '../../common/devices';
import type { Right } from '../../common/rights';
import type { Role } from '../../common/api';
import type { UserRow } from '../../storage/repositories';
import { AccessService } from '../../main/services/access/service';
import { AuditLog } from '../../main/services/audit-log';
import { OrgTreeIndex } from '../../main/services/devices/tree';
import { openTempStore } from '../../storage/sqlite/test-utils';

const ROLES: Role[] = ['admin', 'dispatcher', 'investigator', 'officer'];
const RIGHTS: Right[] = ['live.view', 'recordings.view', 'export', 'ptz.control', 'map.positions', 'alarms.view'];

function p(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function run(opts: { smoke: boolean }): Promise<{ lines: string[]; result: Record<string, number> }> {
  const channelCount = opts.smoke ? 1000 : 10_000;
  const userCount = opts.smoke ? 50 : 500;
  const checks = opts.smoke ? 20_000 : 200_000;
  const t = await openTempStore();
  try {
    const db = t.store.db;
    // 10 districts × 10 stations; 4 channels per device.
    const nodes: Array<{ id: number; parentId: number }> = [];
    const devices: Array<{ id: number; nodeId: number }> = [];
    const channels: Array<{ id: number; deviceId: number }> = [];
    await db.transaction(async (tx) => {
      let nid = 2;
      for (let d = 0; d < 10; d++) {
        const district = nid++;
        nodes.push({ id: district, parentId: ROOT_NODE_ID });
        await tx.run('INSERT INTO org_nodes (id, parent_id, name, path, depth, created_ms, updated_ms) VALUES (?, 1, ?, ?, 1, 0, 0)', [
          district,
          `D${d}`,
          `/1/${district}/`,
        ]);
        for (let s = 0; s < 10; s++) {
          const station = nid++;
          nodes.push({ id: station, parentId: district });
          await tx.run('INSERT INTO org_nodes (id, parent_id, name, path, depth, created_ms, updated_ms) VALUES (?, ?, ?, ?, 2, 0, 0)', [
            station,
            district,
            `S${s}`,
            `/1/${district}/${station}/`,
          ]);
        }
      }
      const stations = nodes.filter((n) => n.parentId !== ROOT_NODE_ID);
      let id = 1;
      for (let i = 0; i < channelCount / 4; i++) {
        const dev = { id: id++, nodeId: stations[i % stations.length]!.id };
        devices.push(dev);
        await tx.run("INSERT INTO devices (id, node_id, kind, name, created_ms, updated_ms) VALUES (?, ?, 'rtsp', ?, 0, 0)", [
          dev.id,
          dev.nodeId,
          `dev${dev.id}`,
        ]);
        for (let c = 1; c <= 4; c++) {
          const ch = { id: id++, deviceId: dev.id };
          channels.push(ch);
          await tx.run(
            'INSERT INTO channels (id, device_id, ordinal, name, segment_seconds, retention_days, created_ms, updated_ms) VALUES (?, ?, ?, ?, 60, 30, 0, 0)',
            [ch.id, dev.id, c, `ch${ch.id}`],
          );
        }
      }
      for (let u = 0; u < userCount; u++) {
        await tx.run("INSERT INTO users (username, password_hash, role, display_name, created_ms, node_id) VALUES (?, 'scrypt$x', ?, '', 0, ?)", [
          `u${u}`,
          ROLES[u % 4],
          stations[u % stations.length]!.id,
        ]);
      }
    });
    const tree = new OrgTreeIndex();
    tree.load(
      [{ id: ROOT_NODE_ID, parentId: null, name: '', code: null, sortOrder: 0 }, ...nodes.map((n) => ({ ...n, name: `n${n.id}`, code: null, sortOrder: 0 }))],
      devices.map((d) => ({ ...d, kind: 'rtsp' as const, name: `dev${d.id}`, enabled: true, code: null, callsign: null, serial: '', plate: null })),
      channels.map((c, i) => ({ ...c, ordinal: (i % 4) + 1, name: `ch${c.id}`, code: null })),
    );
    const users: UserRow[] = await t.store.users.list();
    const access = new AccessService({ repo: t.store.access, users: t.store.users, tree: () => tree, audit: new AuditLog(t.store, Date.now) });
    await access.start();
    // Grants: each user an allow on a district and a deny on one channel; 20 groups with a node grant each; node principals per district.
    const actor = { kind: 'system' as const, reason: 'bench' };
    const districts = nodes.filter((n) => n.parentId === ROOT_NODE_ID);
    const groups = [];
    for (let g = 0; g < 20; g++) groups.push(await access.createGroup({ name: `g${g}` }, actor));
    for (const [i, g] of groups.entries()) {
      await access.setMembers(
        g.id,
        users.filter((_, k) => k % 20 === i).map((u) => u.id),
        actor,
      );
      await access.createGrant(
        { principalKind: 'group', principalId: g.id, right: 'recordings.view', scopeKind: 'node', scopeId: districts[i % 10]!.id, effect: 'allow' },
        actor,
      );
    }
    for (const [i, u] of users.entries()) {
      await access.createGrant(
        { principalKind: 'user', principalId: u.id, right: RIGHTS[i % RIGHTS.length]!, scopeKind: 'node', scopeId: districts[i % 10]!.id, effect: 'allow' },
        actor,
      );
      await access.createGrant(
        {
          principalKind: 'user',
          principalId: u.id,
          right: 'live.view',
          scopeKind: 'channel',
          scopeId: channels[(i * 37) % channels.length]!.id,
          effect: 'deny',
        },
        actor,
      );
    }
    for (const d of districts)
      await access.createGrant({ principalKind: 'node', principalId: d.id, right: 'alarms.view', scopeKind: 'node', scopeId: d.id, effect: 'allow' }, actor);

    // Cold: compile every user once.
    const coldStart = process.hrtime.bigint();
    for (const u of users) access.for(u);
    const coldUsPerUser = Number(process.hrtime.bigint() - coldStart) / 1000 / users.length;

    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const samples: number[] = new Array<number>(checks);
    let allowed = 0;
    for (let i = 0; i < checks; i++) {
      const u = users[rnd(users.length)]!;
      const right = RIGHTS[rnd(RIGHTS.length)]!;
      const kind = rnd(3);
      const t0 = process.hrtime.bigint();
      const a = access.for(u);
      const ok =
        kind === 0
          ? a.channel(right, channels[rnd(channels.length)]!.id)
          : kind === 1
            ? a.device(right, devices[rnd(devices.length)]!.id)
            : a.node(right, nodes[rnd(nodes.length)]!.id);
      samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
      if (ok) allowed++;
    }
    samples.sort((x, y) => x - y);
    // A list filter: every channel a user may watch (compiled once per user and tree version, then cached).
    const listStart = process.hrtime.bigint();
    for (const u of users.slice(0, 50)) access.for(u).channels('live.view');
    const listMs = Number(process.hrtime.bigint() - listStart) / 1e6 / Math.min(50, users.length);
    access.close();
    const p95 = Math.round(p(samples, 0.95) * 100) / 100;
    return {
      lines: [
        `rights: ${channelCount} channels, ${devices.length} devices, ${nodes.length + 1} nodes, ${users.length} users, ${access.state.grants.size} grants`,
        `rights check (for(user) + channel/device/node): p50 ${p(samples, 0.5).toFixed(2)} µs, p95 ${p95} µs, p99 ${p(samples, 0.99).toFixed(2)} µs over ${checks} checks (${allowed} allowed)`,
        `compile one user's rights (cold): ${coldUsPerUser.toFixed(1)} µs; a user's full channel list (live.view, first time): ${listMs.toFixed(2)} ms`,
      ],
      result: { rights_check_us_p95: p95 },
    };
  } finally {
    await t.cleanup();
  }
}
