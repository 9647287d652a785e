// A real store with an organisation tree, devices, channels and users, and the access service over it (access tests and the rights benchmark).
import type { Role } from '../../common/api';
import { ROOT_NODE_ID } from '../../common/devices';
import { AccessService } from '../../main/services/access/service';
import { AuditLog } from '../../main/services/audit-log';
import { OrgTreeIndex } from '../../main/services/devices/tree';
import { openTempStore, T0, type TempStore } from '../../storage/sqlite/test-utils';
import type { NewChannel } from '../../storage/repos/devices';
import type { UserRow } from '../../storage/repositories';

export interface AccessFixture {
  t: TempStore;
  tree: OrgTreeIndex;
  access: AccessService;
  /** Adds a node under a parent (the tree follows). */
  node(name: string, parentId?: number): Promise<number>;
  /** Adds an RTSP device with n channels under a node; returns the device id and channel ids. */
  device(name: string, nodeId: number, channels?: number): Promise<{ id: number; channels: number[] }>;
  user(username: string, role: Role): Promise<UserRow>;
  /** Reads the tree again from the store (after moves and deletes made through the repositories). */
  reloadTree(): Promise<void>;
  close(): Promise<void>;
}

const channel = (name: string): NewChannel => ({
  name,
  segmentSeconds: 60,
  retentionDays: 30,
  rtsp: { url: 'rtsp://127.0.0.1/x', subUrl: null, username: null, password: null, transport: 'tcp' },
});

export async function openAccessFixture(): Promise<AccessFixture> {
  const t = await openTempStore();
  const tree = new OrgTreeIndex();
  const reloadTree = async () => {
    const [n, d, c] = await Promise.all([t.store.org.list(), t.store.devices.list(), t.store.channels.list()]);
    tree.load(
      n.map((x) => ({ id: x.id, parentId: x.parentId, name: x.name, code: x.code, sortOrder: x.sortOrder })),
      d.map((x) => ({
        id: x.id,
        nodeId: x.nodeId,
        kind: x.kind,
        name: x.name,
        enabled: x.enabled,
        code: x.code,
        callsign: null,
        serial: x.serial,
        plate: null,
      })),
      c.map((x) => ({ id: x.id, deviceId: x.deviceId, ordinal: x.ordinal, name: x.name, code: x.code })),
    );
  };
  await reloadTree();
  const access = new AccessService({ repo: t.store.access, users: t.store.users, tree: () => tree, audit: new AuditLog(t.store, () => T0), now: () => T0 });
  await access.start();
  return {
    t,
    tree,
    access,
    async node(name, parentId = ROOT_NODE_ID) {
      const n = await t.store.org.create({ parentId, name }, T0);
      tree.putNode({ id: n.id, parentId: n.parentId, name: n.name, code: n.code, sortOrder: n.sortOrder });
      return n.id;
    },
    async device(name, nodeId, channels = 1) {
      const made = await t.store.devices.createWithChannels(
        { device: { nodeId, kind: 'rtsp', name }, channels: Array.from({ length: channels }, (_, i) => channel(`${name} ${i + 1}`)) },
        T0,
      );
      const d = made.device;
      tree.putDevice({
        id: d.id,
        nodeId: d.nodeId,
        kind: d.kind,
        name: d.name,
        enabled: d.enabled,
        code: d.code,
        callsign: null,
        serial: d.serial,
        plate: null,
      });
      for (const c of made.channels) tree.putChannel({ id: c.id, deviceId: c.deviceId, ordinal: c.ordinal, name: c.name, code: c.code });
      return { id: d.id, channels: made.channels.map((c) => c.id) };
    },
    user: (username, role) => t.store.users.create({ username, passwordHash: 'scrypt$x', role, displayName: username, disabled: false, createdMs: T0 }),
    reloadTree,
    async close() {
      access.close();
      await t.cleanup();
    },
  };
}
