// From catalog items to Argus's model: which items become organisation nodes (parents first) and where each item hangs.
import { assertNever } from '../../../common/events';
import type { GbCatalogChange, GbChannelDefaults, GbItemInput } from '../../../storage/repos/gb-catalog';
import { kindOfId, ORG_KINDS, ptzOfType, type GbItemKind } from './catalog-codes';
import type { GbCatalogItem } from './catalog-items';

/** An organisation item with the codes of its possible parents, nearest first (none: under the device's node). */
export interface GbOrgPlan {
  item: GbCatalogItem;
  parentCodes: string[];
}

/** A catalog made ready to store. */
export interface GbCatalogPlan {
  /** Civil codes, business groups and virtual organisations, every parent before its children. */
  org: GbOrgPlan[];
  /** Every item (org ones included) in catalog order with the catalog parent it hangs under (null: the device). */
  items: Array<{ item: GbCatalogItem; parentGbId: string | null }>;
}

/** Proper prefixes of a civil code that are civil codes themselves, longest first (34020100 → 340201, 3402, 34). */
export function civilParents(code: string): string[] {
  const out: string[] = [];
  for (let len = code.length - 2; len >= 2; len -= 2) out.push(code.slice(0, len));
  return out;
}

/** Where an organisation item may hang, nearest first. */
function orgParentCodes(item: GbCatalogItem, deviceGbId: string): string[] {
  switch (item.kind) {
    case 'civil':
      return civilParents(item.gbId);
    case 'business_group':
      return [];
    case 'virtual_org': {
      const codes = item.parentIds.filter((p) => p !== deviceGbId && p !== item.gbId);
      if (item.businessGroupId && item.businessGroupId !== item.gbId) codes.push(item.businessGroupId);
      return [...new Set(codes)];
    }
    default:
      return [];
  }
}

/**
 * The catalog parent of an item: the first ParentID that the catalog lists as a structure (org item or sub-device), else
 * its business group, else its civil code when the catalog lists it; null when it hangs directly under the device.
 */
function parentOf(item: GbCatalogItem, byId: ReadonlyMap<string, { kind: GbItemKind }>, deviceGbId: string): string | null {
  const structural = (id: string | null): id is string => {
    if (id === null || id === deviceGbId || id === item.gbId) return false;
    const p = byId.get(id);
    return p !== undefined && (ORG_KINDS.has(p.kind) || p.kind === 'device');
  };
  if (ORG_KINDS.has(item.kind)) return orgParentCodes(item, deviceGbId).find((c) => byId.has(c)) ?? null;
  return item.parentIds.find(structural) ?? [item.businessGroupId, item.civilCode].find(structural) ?? null;
}

/**
 * Orders the organisation items parents first; a cycle (A under B under A) is broken by hanging the first seen under the
 * device. `known` are the device's stored items (a NOTIFY lists only what changed: its items may hang under stored ones).
 */
export function planCatalog(items: readonly GbCatalogItem[], deviceGbId: string, known: ReadonlyMap<string, { kind: GbItemKind }> = new Map()): GbCatalogPlan {
  const byId = new Map(items.map((i) => [i.gbId, i]));
  const context = new Map<string, { kind: GbItemKind }>([...known, ...byId]);
  const parents = new Map(items.map((i) => [i.gbId, parentOf(i, context, deviceGbId)]));
  const org: GbOrgPlan[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: GbCatalogItem): void => {
    if (state.get(item.gbId) === 'done') return;
    state.set(item.gbId, 'visiting');
    const codes = orgParentCodes(item, deviceGbId).filter((c) => {
      const p = byId.get(c);
      if (!p) return true; // not in this catalog: may name an existing node
      if (!ORG_KINDS.has(p.kind) || state.get(c) === 'visiting') return false; // cycle or not a structure
      visit(p);
      return true;
    });
    state.set(item.gbId, 'done');
    org.push({ item, parentCodes: codes });
  };
  for (const item of items) if (ORG_KINDS.has(item.kind)) visit(item);
  const orgCodes = new Map(org.map((o) => [o.item.gbId, o.parentCodes]));
  return {
    org,
    items: items.map((item) => {
      let parentGbId = parents.get(item.gbId) ?? null;
      // An org item's parent is the first of its (cycle-free) candidates the catalog lists.
      if (ORG_KINDS.has(item.kind)) parentGbId = orgCodes.get(item.gbId)?.find((c) => context.has(c)) ?? null;
      return { item, parentGbId };
    }),
  };
}

/** A planned item as the repository stores it. */
export function itemInput(item: GbCatalogItem, parentGbId: string | null): GbItemInput {
  return {
    gbId: item.gbId,
    kind: item.kind,
    name: item.name,
    parentGbId,
    civilCode: item.civilCode,
    businessGroupId: item.businessGroupId,
    status: item.status,
    address: item.address,
    longitude: item.longitude,
    latitude: item.latitude,
    ptzType: item.ptzType,
    ptz: ptzOfType(item.ptzType),
    raw: item.raw,
  };
}

/** The change a whole Catalog answer makes (absent items disabled only when it is complete). */
export function catalogChange(items: readonly GbCatalogItem[], deviceGbId: string, complete: boolean, defaults: GbChannelDefaults): GbCatalogChange {
  const plan = planCatalog(items, deviceGbId);
  return {
    items: plan.items.map((p) => itemInput(p.item, p.parentGbId)),
    org: plan.org.map((o) => ({ gbId: o.item.gbId, parentCodes: o.parentCodes })),
    full: complete,
    removed: [],
    statuses: [],
    channelDefaults: defaults,
  };
}

/** The change a Catalog notification makes: ADD/UPDATE (or no event) upsert, DEL removes, ON/OFF/VLOST/DEFECT set the status. */
export function notifyChange(
  items: readonly GbCatalogItem[],
  deviceGbId: string,
  known: ReadonlyMap<string, { kind: GbItemKind }>,
  defaults: GbChannelDefaults,
): GbCatalogChange {
  const upserts: GbCatalogItem[] = [];
  const removed: string[] = [];
  const statuses: Array<{ gbId: string; status: string }> = [];
  for (const item of items) {
    switch (item.event) {
      case null:
      case 'ADD':
      case 'UPDATE':
        upserts.push(item);
        break;
      case 'DEL':
        removed.push(item.gbId);
        break;
      case 'ON':
      case 'OFF':
      case 'VLOST':
      case 'DEFECT':
        statuses.push({ gbId: item.gbId, status: item.event });
        break;
      default:
        assertNever(item.event);
    }
  }
  const plan = planCatalog(upserts, deviceGbId, known);
  return {
    items: plan.items.map((p) => itemInput(p.item, p.parentGbId)),
    org: plan.org.map((o) => ({ gbId: o.item.gbId, parentCodes: o.parentCodes })),
    full: false,
    removed,
    statuses,
    channelDefaults: defaults,
  };
}

/**
 * A camera that registers itself (its own ID of a video type, e.g. a body camera 132) and lists no video channel in its
 * complete catalog (SumNum 0): its one channel is the device itself (code = its ID), so it can be watched and recorded.
 */
export function withSelfChannel(items: readonly GbCatalogItem[], deviceGbId: string, deviceName: string): GbCatalogItem[] {
  if (kindOfId(deviceGbId) !== 'video' || items.some((i) => i.kind === 'video')) return [...items];
  const self: GbCatalogItem = {
    gbId: deviceGbId,
    kind: 'video',
    name: deviceName,
    manufacturer: null,
    model: null,
    civilCode: null,
    parentIds: [],
    businessGroupId: null,
    status: 'ON',
    address: null,
    longitude: null,
    latitude: null,
    ptzType: null,
    event: null,
    raw: {},
  };
  return [self, ...items];
}
