// Routes /units: mobile units (4G uplinks). Read: the units a user sees; create/update/delete/rotate-key: units.manage on it; every change audited.
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import { randomBytes } from 'node:crypto';
import { DEFAULT_RETENTION_DAYS, type Unit, type UnitKey } from '../../../common/api';
import type { UnitPatch, UnitRow } from '../../../storage/repositories';
import { hashStreamKey } from '../../services/units';
import { accessOf, needDevice, needGlobal, seesDevice, unitFor } from '../access-guard';
import { ApiError } from '../errors';
import { principalOf, bind, type Route } from '../router';
import { toUnit } from '../views';
import type { ApiDeps, DepsRef } from './deps';

/** A new stream key: 24 random bytes, base64url (32 characters). */
export function newStreamKey(): string {
  return randomBytes(24).toString('base64url');
}

function view(d: ApiDeps, row: UnitRow): Unit {
  return toUnit(row, d.units.status(row.id));
}

function keyAnswer(d: ApiDeps, row: UnitRow, streamKey: string): UnitKey {
  return { unit: view(d, row), streamKey, publishUrl: d.units.publishUrl(row.id, streamKey) };
}

const notFound = (id: number) => () => ApiError.notFound(msg('unit.not_found', { id }));

async function getOr404(d: ApiDeps, id: number): Promise<UnitRow> {
  const row = await d.store.units.get(id);
  if (!row) throw ApiError.notFound(msg('unit.not_found', { id: id }));
  return row;
}

async function checkCallsignFree(d: ApiDeps, callsign: string, exceptId?: number): Promise<void> {
  const other = await d.store.cameras.getByName(callsign);
  if (other && other.id !== exceptId)
    throw ApiError.conflict('callsign', other.kind === 'uplink' ? msg('unit.callsign_taken', { callsign }) : msg('unit.callsign_is_camera', { callsign }));
}

/** The unit's settings for the audit trail (never the key or its hash). */
function auditView(u: UnitRow): Record<string, unknown> {
  return {
    callsign: u.callsign,
    type: u.type,
    officer: u.officer,
    enabled: u.enabled,
    groupName: u.groupName,
    segmentSeconds: u.segmentSeconds,
    retentionDays: u.retentionDays,
  };
}

function changes(before: UnitRow, after: UnitRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['callsign', 'type', 'officer', 'enabled', 'groupName', 'segmentSeconds', 'retentionDays'] as const)
    if (before[k] !== after[k]) out[k] = { from: before[k], to: after[k] };
  return out;
}

/** Brings the hub in line with the row; a failure is logged, the saved change stands. */
async function applyUnit(d: ApiDeps, row: UnitRow, opts: { keyRotated?: boolean } = {}): Promise<void> {
  try {
    await d.units.changed(row, opts);
  } catch (err) {
    d.log(`[http] units.changed(${row.id}) failed: ${(err as Error).stack ?? String(err)}`);
  }
}

export function unitRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getUnits, async (ctx) => {
      const d = deps();
      const a = accessOf(d, ctx);
      return (await d.store.units.list()).filter((r) => seesDevice(a, r.id)).map((r) => unitFor(a, view(d, r)));
    }),
    bind(E.getUnitsByid, async (ctx) => {
      const d = deps();
      const a = accessOf(d, ctx);
      if (!seesDevice(a, ctx.params.id)) throw notFound(ctx.params.id)();
      return unitFor(a, view(d, await getOr404(d, ctx.params.id)));
    }),
    bind(E.postUnits, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      needGlobal(accessOf(d, ctx), 'units.manage');
      const b = ctx.body;
      const key = newStreamKey();
      const row = await d.configLock.run(async () => {
        await checkCallsignFree(d, b.callsign);
        const created = await d.store.units.create(
          {
            callsign: b.callsign,
            type: b.type,
            officer: b.officer ?? null,
            enabled: b.enabled ?? true,
            groupName: b.groupName ?? null,
            segmentSeconds: b.segmentSeconds ?? d.config.segmentSeconds,
            retentionDays: b.retentionDays ?? DEFAULT_RETENTION_DAYS,
            streamKeyHash: hashStreamKey(key),
          },
          d.now(),
        );
        await d.audit.record({ actor, action: 'unit.create', targetType: 'unit', targetId: created.id, detail: auditView(created), ip: ctx.ip });
        await applyUnit(d, created);
        return created;
      });
      const answer = keyAnswer(d, row, key);
      d.events.publish({ type: 'unit.changed', unit: answer.unit });
      return answer;
    }),
    bind(E.patchUnitsByid, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      needDevice(accessOf(d, ctx), 'units.manage', ctx.params.id, notFound(ctx.params.id));
      const b = ctx.body;
      const patch: UnitPatch = {};
      for (const k of ['callsign', 'type', 'officer', 'enabled', 'groupName', 'segmentSeconds', 'retentionDays'] as const) {
        if (b[k] !== undefined) (patch as Record<string, unknown>)[k] = b[k];
      }
      const row = await d.configLock.run(async () => {
        const before = await getOr404(d, ctx.params.id);
        if (patch.callsign !== undefined && patch.callsign !== before.callsign) await checkCallsignFree(d, patch.callsign, before.id);
        const after = await d.store.units.update(before.id, patch, d.now());
        if (!after) throw ApiError.notFound(msg('unit.not_found', { id: before.id }));
        const diff = changes(before, after);
        if (Object.keys(diff).length > 0)
          await d.audit.record({
            actor,
            action: 'unit.update',
            targetType: 'unit',
            targetId: after.id,
            detail: { callsign: after.callsign, changes: diff },
            ip: ctx.ip,
          });
        await applyUnit(d, after);
        return after;
      });
      const unit = view(d, row);
      d.events.publish({ type: 'unit.changed', unit });
      return unit;
    }),
    bind(E.deleteUnitsByid, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      needDevice(accessOf(d, ctx), 'units.manage', ctx.params.id, notFound(ctx.params.id));
      await d.configLock.run(async () => {
        const row = await getOr404(d, ctx.params.id);
        await d.units.removed(row.id);
        if (!(await d.store.units.delete(row.id))) throw ApiError.notFound(msg('unit.not_found', { id: row.id }));
        await d.audit.record({ actor, action: 'unit.delete', targetType: 'unit', targetId: row.id, detail: auditView(row), ip: ctx.ip });
      });
      d.events.publish({ type: 'unit.deleted', unitId: ctx.params.id });
    }),
    bind(E.postUnitsByidRotateKey, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      needDevice(accessOf(d, ctx), 'units.manage', ctx.params.id, notFound(ctx.params.id));
      const key = newStreamKey();
      const row = await d.configLock.run(async () => {
        await getOr404(d, ctx.params.id);
        const after = await d.store.units.setKey(ctx.params.id, hashStreamKey(key), d.now());
        if (!after) throw ApiError.notFound(msg('unit.not_found', { id: ctx.params.id }));
        await d.audit.record({ actor, action: 'unit.rotate_key', targetType: 'unit', targetId: after.id, detail: { callsign: after.callsign }, ip: ctx.ip });
        await applyUnit(d, after, { keyRotated: true });
        return after;
      });
      const answer = keyAnswer(d, row, key);
      d.events.publish({ type: 'unit.changed', unit: answer.unit });
      return answer;
    }),
  ];
}
