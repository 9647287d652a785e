// SQLite GbCatalogRepo: GB/T 28181 catalog items (gb_channels) applied to channels and organisation nodes in one transaction.
import { ORG_MAX_DEPTH } from '../../common/devices';
import { StorageError } from '../repositories';
import type { GbCatalogApplied, GbCatalogChange, GbCatalogItemRow, GbCatalogRepo, GbItemInput, GbItemKind } from '../repos/gb-catalog';
import { insertChannel, takeIds } from './channels';
import type { Db } from './db';
import { bool, fromBool, ms } from './mapping';
import { SqliteOrgRepo } from './org';

interface ItemDbRow {
  device_id: number;
  gb_id: string;
  kind: GbItemKind;
  channel_id: number | null;
  org_node_id: number | null;
  name: string | null;
  parent_gb_id: string | null;
  civil_code: string | null;
  business_group_id: string | null;
  status: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  ptz_type: number | null;
  catalog_order: number;
  present: number;
  disabled_by_catalog: number;
  raw: string;
  created_ms: number;
  updated_ms: number;
}

const COLUMNS =
  'device_id, gb_id, kind, channel_id, org_node_id, name, parent_gb_id, civil_code, business_group_id, status, address, longitude, latitude, ' +
  'ptz_type, catalog_order, present, disabled_by_catalog, raw, created_ms, updated_ms';

function toRow(r: ItemDbRow): GbCatalogItemRow {
  return {
    deviceId: r.device_id,
    gbId: r.gb_id,
    kind: r.kind,
    channelId: r.channel_id,
    orgNodeId: r.org_node_id,
    name: r.name,
    parentGbId: r.parent_gb_id,
    civilCode: r.civil_code,
    businessGroupId: r.business_group_id,
    status: r.status,
    address: r.address,
    longitude: r.longitude,
    latitude: r.latitude,
    ptzType: r.ptz_type,
    catalogOrder: r.catalog_order,
    present: fromBool(r.present),
    disabledByCatalog: fromBool(r.disabled_by_catalog),
    raw: JSON.parse(r.raw) as Record<string, string>,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

const ORDER = 'ORDER BY present DESC, catalog_order, gb_id';
const MAX_ORDINAL = 4096;
const NAME_MAX = 64;
const NODE_NAME_MAX = 128;

/** `base` cut so that `base + suffix` fits in `max` characters (by code points: names are Chinese). */
function fit(base: string, suffix: string, max: number): string {
  const chars = [...base];
  const room = max - [...suffix].length;
  return (chars.length > room ? chars.slice(0, room).join('').trimEnd() : base) + suffix;
}

/** A channel name no other channel has: the catalog name, then with the ID's last 4 digits, then with the whole ID. */
async function freeChannelName(tx: Db, name: string, gbId: string, selfId: number | null): Promise<string> {
  const candidates = [fit(name, '', NAME_MAX), fit(name, ` (${gbId.slice(-4)})`, NAME_MAX), fit(name, ` (${gbId})`, NAME_MAX)];
  for (let i = 2; candidates.length < 12; i++) candidates.push(fit(name, ` (${gbId}-${i})`, NAME_MAX));
  for (const c of candidates) {
    const taken = await tx.get<{ id: number }>('SELECT id FROM channels WHERE name = ?', [c]);
    if (!taken || taken.id === selfId) return c;
  }
  throw new StorageError('conflict', `no free channel name for "${name}"`, 'name');
}

/** A node name free among the parent's children: the catalog name, then with the code. */
async function freeNodeName(tx: Db, parentId: number, name: string, code: string, selfId: number | null): Promise<string | null> {
  for (const c of [fit(name, '', NODE_NAME_MAX), fit(name, ` (${code})`, NODE_NAME_MAX)]) {
    const taken = await tx.get<{ id: number }>('SELECT id FROM org_nodes WHERE parent_id = ? AND name = ?', [parentId, c]);
    if (!taken || taken.id === selfId) return c;
  }
  return null;
}

const CHANGE_FIELDS: Array<[keyof GbItemInput, string]> = [
  ['name', 'name'],
  ['parentGbId', 'parent_gb_id'],
  ['civilCode', 'civil_code'],
  ['businessGroupId', 'business_group_id'],
  ['status', 'status'],
  ['address', 'address'],
  ['longitude', 'longitude'],
  ['latitude', 'latitude'],
  ['ptzType', 'ptz_type'],
];

export class SqliteGbCatalogRepo implements GbCatalogRepo {
  constructor(private readonly db: Db) {}

  async list(deviceId: number): Promise<GbCatalogItemRow[]> {
    return (await this.db.all<ItemDbRow>(`SELECT ${COLUMNS} FROM gb_channels WHERE device_id = ? ${ORDER}`, [deviceId])).map(toRow);
  }

  async get(deviceId: number, gbId: string): Promise<GbCatalogItemRow | null> {
    const r = await this.db.get<ItemDbRow>(`SELECT ${COLUMNS} FROM gb_channels WHERE device_id = ? AND gb_id = ?`, [deviceId, gbId]);
    return r ? toRow(r) : null;
  }

  async byChannel(channelId: number): Promise<GbCatalogItemRow | null> {
    const r = await this.db.get<ItemDbRow>(`SELECT ${COLUMNS} FROM gb_channels WHERE channel_id = ?`, [channelId]);
    return r ? toRow(r) : null;
  }

  apply(deviceId: number, change: GbCatalogChange, nowMs: number): Promise<GbCatalogApplied> {
    return this.db.transaction(async (tx) => {
      const device = await tx.get<{ node_id: number }>('SELECT node_id FROM devices WHERE id = ?', [deviceId]);
      if (!device) throw new StorageError('not_found', `device ${deviceId} does not exist`, 'deviceId');
      const out: GbCatalogApplied = { created: [], updated: [], disabled: [], enabled: [], orgCreated: [], orgRenamed: [], statusChanged: [], skipped: [] };
      const stored = new Map((await tx.all<ItemDbRow>(`SELECT ${COLUMNS} FROM gb_channels WHERE device_id = ?`, [deviceId])).map((r) => [r.gb_id, r] as const));
      const nodes = await this.applyOrg(tx, device.node_id, change, stored, nowMs, out);
      const listed = new Set<string>();
      // A complete catalog renumbers; a notification keeps stored positions and appends new items.
      let next = change.full ? 0 : Math.max(-1, ...[...stored.values()].map((r) => r.catalog_order)) + 1;
      for (const [i, item] of change.items.entries()) {
        listed.add(item.gbId);
        const old = stored.get(item.gbId);
        const order = change.full ? i : (old?.catalog_order ?? next++);
        await this.upsertItem(tx, deviceId, item, order, old, nodes.get(item.gbId) ?? null, change, nowMs, out);
      }
      const gone = new Set(change.removed);
      if (change.full) for (const id of stored.keys()) if (!listed.has(id)) gone.add(id);
      for (const id of gone) await this.markAbsent(tx, deviceId, id, nowMs, out);
      for (const { gbId, status } of change.statuses) {
        const r = await tx.run('UPDATE gb_channels SET status = ?, updated_ms = ? WHERE device_id = ? AND gb_id = ? AND status IS NOT ?', [
          status,
          ms(nowMs),
          deviceId,
          gbId,
          status,
        ]);
        if (r.changes > 0) out.statusChanged.push(gbId);
      }
      return out;
    });
  }

  /** Finds or makes the organisation nodes of the change's org items; returns gbId → node id. */
  private async applyOrg(
    tx: Db,
    deviceNodeId: number,
    change: GbCatalogChange,
    stored: ReadonlyMap<string, ItemDbRow>,
    nowMs: number,
    out: GbCatalogApplied,
  ): Promise<Map<string, number>> {
    const org = new SqliteOrgRepo(tx);
    const ids = new Map<string, number>();
    const names = new Map(change.items.map((i) => [i.gbId, i.name] as const));
    const nodeByCode = async (code: string) => ids.get(code) ?? (await tx.get<{ id: number }>('SELECT id FROM org_nodes WHERE code = ?', [code]))?.id ?? null;
    for (const { gbId, parentCodes } of change.org) {
      const name = names.get(gbId) ?? stored.get(gbId)?.name ?? gbId;
      const mapped = stored.get(gbId)?.org_node_id ?? null;
      let nodeId = mapped !== null && (await tx.get('SELECT 1 FROM org_nodes WHERE id = ?', [mapped])) ? mapped : await nodeByCode(gbId);
      if (nodeId !== null) {
        // Renamed in the catalog: rename the node it made (a name taken among its siblings leaves it as it is).
        const prev = stored.get(gbId)?.name ?? null;
        const node = await tx.get<{ parent_id: number | null; name: string }>('SELECT parent_id, name FROM org_nodes WHERE id = ?', [nodeId]);
        if (mapped === nodeId && prev !== null && prev !== name && node?.parent_id != null) {
          const free = await freeNodeName(tx, node.parent_id, name, gbId, nodeId);
          if (free !== null && free !== node.name) {
            await org.update(nodeId, { name: free }, nowMs);
            out.orgRenamed.push(nodeId);
          }
        }
        ids.set(gbId, nodeId);
        continue;
      }
      let parentId = deviceNodeId;
      for (const code of parentCodes) {
        const p = await nodeByCode(code);
        if (p !== null) {
          parentId = p;
          break;
        }
      }
      const parent = await tx.get<{ depth: number }>('SELECT depth FROM org_nodes WHERE id = ?', [parentId]);
      const free = await freeNodeName(tx, parentId, name, gbId, null);
      if (!parent || parent.depth >= ORG_MAX_DEPTH || free === null) {
        ids.set(gbId, parentId); // no room below: the item maps to its parent
        continue;
      }
      nodeId = (await org.create({ parentId, name: free, code: gbId }, nowMs)).id;
      out.orgCreated.push(nodeId);
      ids.set(gbId, nodeId);
    }
    return ids;
  }

  private async upsertItem(
    tx: Db,
    deviceId: number,
    item: GbItemInput,
    order: number,
    old: ItemDbRow | undefined,
    orgNodeId: number | null,
    change: GbCatalogChange,
    nowMs: number,
    out: GbCatalogApplied,
  ): Promise<void> {
    const channelId = item.kind === 'video' ? await this.applyChannel(tx, deviceId, item, old, change, nowMs, out) : null;
    if (old && old.status !== item.status && item.status !== null) out.statusChanged.push(item.gbId);
    if (!old) {
      await tx.run(`INSERT INTO gb_channels (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?)`, [
        deviceId,
        item.gbId,
        item.kind,
        channelId,
        orgNodeId,
        item.name,
        item.parentGbId,
        item.civilCode,
        item.businessGroupId,
        item.status,
        item.address,
        item.longitude,
        item.latitude,
        item.ptzType,
        order,
        JSON.stringify(item.raw),
        ms(nowMs),
        ms(nowMs),
      ]);
      return;
    }
    const changed =
      !fromBool(old.present) ||
      old.kind !== item.kind ||
      old.channel_id !== channelId ||
      old.org_node_id !== orgNodeId ||
      old.catalog_order !== order ||
      CHANGE_FIELDS.some(([k, col]) => item[k] !== null && item[k] !== old[col as keyof ItemDbRow]) ||
      (Object.keys(item.raw).length > 0 && JSON.stringify(item.raw) !== old.raw);
    if (!changed) return;
    await tx.run(
      `UPDATE gb_channels SET kind = ?, channel_id = ?, org_node_id = coalesce(?, org_node_id), name = coalesce(?, name),
         parent_gb_id = coalesce(?, parent_gb_id), civil_code = coalesce(?, civil_code), business_group_id = coalesce(?, business_group_id),
         status = coalesce(?, status), address = coalesce(?, address), longitude = coalesce(?, longitude), latitude = coalesce(?, latitude),
         ptz_type = coalesce(?, ptz_type), catalog_order = ?, present = 1, disabled_by_catalog = 0, raw = ?, updated_ms = ?
       WHERE device_id = ? AND gb_id = ?`,
      [
        item.kind,
        channelId,
        orgNodeId,
        item.name,
        item.parentGbId,
        item.civilCode,
        item.businessGroupId,
        item.status,
        item.address,
        item.longitude,
        item.latitude,
        item.ptzType,
        order,
        Object.keys(item.raw).length > 0 ? JSON.stringify(item.raw) : old.raw,
        ms(nowMs),
        deviceId,
        item.gbId,
      ],
    );
  }

  /** Makes or updates the channel of a video item; returns its id (null when the device has no ordinal left). */
  private async applyChannel(
    tx: Db,
    deviceId: number,
    item: GbItemInput,
    old: ItemDbRow | undefined,
    change: GbCatalogChange,
    nowMs: number,
    out: GbCatalogApplied,
  ): Promise<number | null> {
    let ch =
      old?.channel_id != null
        ? await tx.get<{ id: number; name: string; enabled: number; ptz: number }>('SELECT id, name, enabled, ptz FROM channels WHERE id = ?', [old.channel_id])
        : undefined;
    // A channel with this code on the device (its gb_channels row lost): adopt it rather than make a second one.
    ch ??= await tx.get<{ id: number; name: string; enabled: number; ptz: number }>(
      'SELECT id, name, enabled, ptz FROM channels WHERE device_id = ? AND code = ? ORDER BY id LIMIT 1',
      [deviceId, item.gbId],
    );
    if (!ch) {
      const max = await tx.get<{ m: number | null }>('SELECT max(ordinal) AS m FROM channels WHERE device_id = ?', [deviceId]);
      const ordinal = (max?.m ?? 0) + 1;
      if (ordinal > MAX_ORDINAL) {
        out.skipped.push(item.gbId);
        return null;
      }
      const id = await takeIds(tx, 1);
      const d = change.channelDefaults;
      await insertChannel(
        tx,
        id,
        deviceId,
        ordinal,
        {
          name: await freeChannelName(tx, item.name ?? item.gbId, item.gbId, null),
          code: item.gbId,
          recordMode: d.recordMode,
          segmentSeconds: d.segmentSeconds,
          retentionDays: d.retentionDays,
          ptz: item.ptz ?? false,
          place: item.latitude !== null && item.longitude !== null ? { lat: item.latitude, lon: item.longitude, viewDeg: null } : null,
          description: item.address,
        },
        nowMs,
      );
      out.created.push(id);
      return id;
    }
    const sets: string[] = [];
    const params: Array<string | number> = [];
    // The catalog renamed the item: the channel follows (a name taken elsewhere gets the ID's tail).
    if (item.name !== null && old?.name != null && old.name !== item.name) {
      const name = await freeChannelName(tx, item.name, item.gbId, ch.id);
      if (name !== ch.name) (sets.push('name = ?'), params.push(name));
    }
    if (item.ptz !== null && bool(item.ptz) !== ch.ptz) (sets.push('ptz = ?'), params.push(bool(item.ptz)));
    if (sets.length > 0) out.updated.push(ch.id);
    if (old && fromBool(old.disabled_by_catalog) && ch.enabled === 0) {
      sets.push('enabled = 1');
      out.enabled.push(ch.id);
    }
    if (sets.length > 0) await tx.run(`UPDATE channels SET ${sets.join(', ')}, updated_ms = ? WHERE id = ?`, [...params, ms(nowMs), ch.id]);
    return ch.id;
  }

  /** The item left the catalog (or a NOTIFY deleted it): absent, its channel disabled (never deleted: recordings stay). */
  private async markAbsent(tx: Db, deviceId: number, gbId: string, nowMs: number, out: GbCatalogApplied): Promise<void> {
    const row = await tx.get<{ channel_id: number | null; present: number; disabled_by_catalog: number }>(
      'SELECT channel_id, present, disabled_by_catalog FROM gb_channels WHERE device_id = ? AND gb_id = ?',
      [deviceId, gbId],
    );
    if (!row || row.present === 0) return;
    let disabled = false;
    if (row.channel_id !== null) {
      const r = await tx.run('UPDATE channels SET enabled = 0, updated_ms = ? WHERE id = ? AND enabled = 1', [ms(nowMs), row.channel_id]);
      disabled = r.changes > 0;
      if (disabled) out.disabled.push(row.channel_id);
    }
    await tx.run('UPDATE gb_channels SET present = 0, disabled_by_catalog = ?, updated_ms = ? WHERE device_id = ? AND gb_id = ?', [
      bool(disabled || fromBool(row.disabled_by_catalog)),
      ms(nowMs),
      deviceId,
      gbId,
    ]);
  }
}
