// Catalog items out of MANSCDP Catalog answers and notifications: tolerant field reading, several MESSAGEs merged, SumNum checked.
import { fieldOf } from './manscdp';
import type { Manscdp } from './signalling';
import { kindOfId, type GbItemKind } from './catalog-codes';

/** Catalog NOTIFY events (GB/T 28181-2016 A.2.4.4; ON/OFF/VLOST/DEFECT are status changes). */
export type GbCatalogEvent = 'ADD' | 'DEL' | 'UPDATE' | 'ON' | 'OFF' | 'VLOST' | 'DEFECT';
const EVENTS: readonly GbCatalogEvent[] = ['ADD', 'DEL', 'UPDATE', 'ON', 'OFF', 'VLOST', 'DEFECT'];

/** One item of a catalog, as Argus reads it. Absent fields are null. */
export interface GbCatalogItem {
  gbId: string;
  kind: GbItemKind;
  name: string | null;
  manufacturer: string | null;
  model: string | null;
  civilCode: string | null;
  /** ParentID split on '/' (platforms list several parents), empty when absent. */
  parentIds: string[];
  /** Info.BusinessGroupID (or a top-level BusinessGroupID). */
  businessGroupId: string | null;
  /** Status upper-cased (ON, OFF; some devices send OK/ONLINE, normalised to ON; OFFLINE to OFF). */
  status: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  ptzType: number | null;
  /** Set in notifications. */
  event: GbCatalogEvent | null;
  /** Every field as text (nested ones as 'Info.PTZType'), for the adapter table's raw column. */
  raw: Record<string, string>;
}

/** What a Catalog query brought back. */
export interface GbCatalogResult {
  /** Unique by ID in catalog order (first appearance); a repeated ID's later fields win. */
  items: GbCatalogItem[];
  /** The largest SumNum announced; null when no message had one. */
  sumNum: number | null;
  /** Items received, duplicates included. */
  received: number;
  /** How many items repeated an ID already received. */
  duplicates: number;
  /** True when at least SumNum items arrived (without a SumNum: when any item arrived): only then may absent items be disabled. */
  complete: boolean;
}

/** A field by name whatever the case of its tag (manscdp.ts fieldOf). */
export const field = fieldOf;

/** A field as trimmed text; null when absent, empty or not a scalar. */
export function text(obj: unknown, name: string): string | null {
  const v = field(obj, name);
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return text(v, '#text');
  return null;
}

function num(obj: unknown, name: string): number | null {
  const t = text(obj, name);
  if (t === null) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A list field: fast-xml-parser gives one object for a single element and an array for several. */
export function list(obj: unknown, name: string): unknown[] {
  const v = field(obj, name);
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

function flatten(obj: unknown, prefix: string, out: Record<string, string>): void {
  if (!obj || typeof obj !== 'object') return;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix + k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, `${key}.`, out);
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = String(v).trim();
  }
}

function normStatus(s: string | null): string | null {
  if (s === null) return null;
  const u = s.toUpperCase();
  if (u === 'OK' || u === 'ONLINE') return 'ON';
  if (u === 'OFFLINE') return 'OFF';
  return u.slice(0, 16);
}

function coordinate(obj: unknown, name: string, limit: number): number | null {
  const n = num(obj, name);
  // 0/0 is what devices without a position send; out-of-range values are garbage.
  return n === null || n === 0 || Math.abs(n) > limit ? null : n;
}

/** Reads one <Item>; null when it has no usable DeviceID. */
export function parseItem(raw: unknown): GbCatalogItem | null {
  const gbId = text(raw, 'DeviceID');
  if (gbId === null || gbId.length > 64 || /[\s/]/.test(gbId)) return null;
  const info = field(raw, 'Info');
  const ev = text(raw, 'Event')?.toUpperCase() ?? null;
  const flat: Record<string, string> = {};
  flatten(raw, '', flat);
  const parent = text(raw, 'ParentID');
  return {
    gbId,
    kind: kindOfId(gbId),
    name: text(raw, 'Name'),
    manufacturer: text(raw, 'Manufacturer'),
    model: text(raw, 'Model'),
    civilCode: text(raw, 'CivilCode'),
    parentIds:
      parent === null
        ? []
        : parent
            .split('/')
            .map((p) => p.trim())
            .filter((p) => p !== '' && p !== gbId),
    businessGroupId: text(info, 'BusinessGroupID') ?? text(raw, 'BusinessGroupID'),
    status: normStatus(text(raw, 'Status')),
    address: text(raw, 'Address'),
    longitude: coordinate(raw, 'Longitude', 180),
    latitude: coordinate(raw, 'Latitude', 90),
    ptzType: num(info, 'PTZType') ?? num(raw, 'PTZType'),
    event: ev !== null && (EVENTS as readonly string[]).includes(ev) ? (ev as GbCatalogEvent) : null,
    raw: flat,
  };
}

/** The items of one Catalog message (Response or Notify), in document order. */
export function itemsOf(msg: Manscdp): GbCatalogItem[] {
  const out: GbCatalogItem[] = [];
  for (const it of list(field(msg.fields, 'DeviceList'), 'Item')) {
    const item = parseItem(it);
    if (item) out.push(item);
  }
  return out;
}

/** Merges the answers of one Catalog query (several MESSAGEs, in arrival order) into one result. */
export function collectCatalog(msgs: readonly Manscdp[]): GbCatalogResult {
  const byId = new Map<string, GbCatalogItem>();
  let sumNum: number | null = null;
  let received = 0;
  let duplicates = 0;
  for (const m of msgs) {
    const n = num(m.fields, 'SumNum');
    if (n !== null && n >= 0) sumNum = Math.max(sumNum ?? 0, Math.floor(n));
    for (const item of itemsOf(m)) {
      received++;
      if (byId.has(item.gbId)) duplicates++;
      byId.set(item.gbId, item); // Map keeps the first insertion's position
    }
  }
  return { items: [...byId.values()], sumNum, received, duplicates, complete: sumNum === null ? received > 0 : received >= sumNum };
}
