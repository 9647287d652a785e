// GB/T 28181 RecordInfo: the query's fields, the device's local time format, and the parsing/merging of the answer's items (several MESSAGEs, field quirks) into ranges.
import { fieldOf } from './manscdp';
import type { Manscdp } from './signalling';

/** A recording the device keeps (one RecordList Item), times in UTC ms. */
export interface DeviceRecordItem {
  /** The channel the item belongs to (the item's DeviceID, else the channel queried). */
  channelId: string;
  name: string | null;
  /** Absent on many devices (NVRs leave it out or send it empty). */
  filePath: string | null;
  startMs: number;
  endMs: number;
  /** 'time' | 'alarm' | 'manual' | 'all' or whatever the device sends (lower-cased). */
  type: string;
  secrecy: number;
  sizeBytes: number | null;
}

/** A continuous range of recordings on the device (overlapping or touching items merged). */
export interface DeviceRecordRange {
  startMs: number;
  endMs: number;
  /** The item types inside the range, sorted. */
  types: string[];
}

export type RecordType = 'all' | 'time' | 'alarm' | 'manual';

/**
 * Device local time `YYYY-MM-DDTHH:mm:ss` of a UTC instant; the device's clock runs at `utcOffsetMin` minutes from UTC
 * (China: +480). Milliseconds are dropped (GB times have whole seconds).
 */
export function formatGbTime(ms: number, utcOffsetMin: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000 + utcOffsetMin * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * UTC ms of a device local time. Accepts the forms devices send: `T` or a space between date and time, an optional
 * fraction, an explicit `Z`/offset (then it wins over `utcOffsetMin`), surrounding whitespace. Null when unreadable.
 */
export function parseGbTime(text: unknown, utcOffsetMin: number): number | null {
  if (typeof text !== 'string' && typeof text !== 'number') return null;
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i.exec(String(text));
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(local)) return null;
  let offsetMin = utcOffsetMin;
  if (zone !== undefined) {
    if (zone.toUpperCase() === 'Z') offsetMin = 0;
    else {
      const z = zone.replace(':', '');
      offsetMin = (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    }
  }
  return local - offsetMin * 60_000;
}

/** The fields of a RecordInfo Query for one channel (the XML's DeviceID is the channel's ID). */
export function recordInfoQueryFields(q: {
  channelId: string;
  startMs: number;
  endMs: number;
  type: RecordType;
  utcOffsetMin: number;
}): Record<string, unknown> {
  return {
    DeviceID: q.channelId,
    StartTime: formatGbTime(q.startMs, q.utcOffsetMin),
    // The end is inclusive on devices: the last whole second before endMs.
    EndTime: formatGbTime(Math.max(q.startMs, Math.ceil(q.endMs / 1000) * 1000 - 1000), q.utcOffsetMin),
    Secrecy: 0,
    Type: q.type,
  };
}

/** A field by name whatever the case of its tag (manscdp.ts fieldOf). */
export const field = fieldOf;

/** Text of a field (trimmed; numbers as text), or null when absent or empty. */
function text(obj: unknown, name: string): string | null {
  const v = field(obj, name);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  // fast-xml-parser puts text beside attributes under '#text'
  if (v !== null && typeof v === 'object') return text(v, '#text');
  return null;
}

function int(obj: unknown, name: string): number | null {
  const t = text(obj, name);
  if (t === null || !/^-?\d+$/.test(t)) return null;
  return Number(t);
}

/** The items of a RecordList field: one object, an array, or nothing (an empty `<RecordList Num="0"/>`). */
function listItems(list: unknown): unknown[] {
  const items = field(list, 'Item');
  if (Array.isArray(items)) return items as unknown[];
  return items !== undefined && items !== null && typeof items === 'object' ? [items] : [];
}

/** SumNum of one Response (the total the device announces over all its MESSAGEs), or null when it sent none. */
export function sumNum(msg: Manscdp): number | null {
  return int(msg.fields, 'SumNum');
}

/**
 * The items of every RecordInfo Response MESSAGE of one query, in UTC ms: unreadable items (no or bad times, end not after
 * start) are dropped and counted; items are clipped to the queried range (devices send whole files that began before it)
 * and those wholly outside it dropped; duplicates (the same item in two MESSAGEs, a retransmission) removed; sorted by start.
 */
export function parseRecordItems(
  msgs: readonly Manscdp[],
  q: { channelId: string; startMs: number; endMs: number; utcOffsetMin: number },
): { items: DeviceRecordItem[]; dropped: number; sumNum: number | null } {
  const seen = new Set<string>();
  const items: DeviceRecordItem[] = [];
  let dropped = 0;
  let total: number | null = null;
  for (const msg of msgs) {
    const n = sumNum(msg);
    if (n !== null) total = Math.max(total ?? 0, n);
    for (const it of listItems(field(msg.fields, 'RecordList'))) {
      const start = parseGbTime(text(it, 'StartTime'), q.utcOffsetMin);
      const end = parseGbTime(text(it, 'EndTime'), q.utcOffsetMin);
      if (start === null || end === null || end <= start) {
        dropped++;
        continue;
      }
      const startMs = Math.max(start, q.startMs);
      const endMs = Math.min(end, q.endMs);
      if (endMs <= startMs) continue;
      const item: DeviceRecordItem = {
        channelId: text(it, 'DeviceID') ?? q.channelId,
        name: text(it, 'Name'),
        filePath: text(it, 'FilePath'),
        startMs,
        endMs,
        type: (text(it, 'Type') ?? 'time').toLowerCase(),
        secrecy: int(it, 'Secrecy') ?? 0,
        sizeBytes: int(it, 'FileSize'),
      };
      const key = `${item.channelId}|${item.filePath ?? ''}|${start}|${end}|${item.type}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  items.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  return { items, dropped, sumNum: total };
}

/** Merges items into continuous ranges: overlapping items, and items less than `joinGapMs` apart (file boundaries), are one range. */
export function mergeRanges(items: readonly DeviceRecordItem[], joinGapMs = 1000): DeviceRecordRange[] {
  const sorted = [...items].sort((a, b) => a.startMs - b.startMs);
  const out: Array<{ startMs: number; endMs: number; types: Set<string> }> = [];
  for (const it of sorted) {
    const last = out.at(-1);
    if (last && it.startMs <= last.endMs + joinGapMs) {
      last.endMs = Math.max(last.endMs, it.endMs);
      last.types.add(it.type);
    } else out.push({ startMs: it.startMs, endMs: it.endMs, types: new Set([it.type]) });
  }
  return out.map((r) => ({ startMs: r.startMs, endMs: r.endMs, types: [...r.types].sort() }));
}
