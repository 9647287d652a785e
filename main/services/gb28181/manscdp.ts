// MANSCDP (GB/T 28181 annex A) XML bodies: decode from GB2312/GB18030/GBK/UTF-8 bytes to the Manscdp type and encode back (GB2312 by default).
import iconv from 'iconv-lite';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { canonicalise } from './manscdp-names';
import type { Manscdp } from './signalling';

export type ManscdpCharset = 'GB2312' | 'GB18030' | 'GBK' | 'UTF-8';

const ROOTS: readonly Manscdp['root'][] = ['Query', 'Control', 'Response', 'Notify'];

/** A body that is not MANSCDP (not XML, no known root, no CmdType/SN/DeviceID). */
export class ManscdpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManscdpError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name.toLowerCase() === 'item',
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '',
  suppressEmptyNode: false,
});

/** The charset named in the XML declaration, normalised; null when there is none or it is unknown. */
export function declaredCharset(head: string): ManscdpCharset | null {
  const m = /<\?xml[^>]*encoding\s*=\s*["']\s*([A-Za-z0-9_-]+)\s*["']/i.exec(head);
  if (!m) return null;
  const name = m[1].toUpperCase().replace(/_/g, '-');
  if (name === 'UTF-8' || name === 'UTF8') return 'UTF-8';
  if (name === 'GB2312' || name === 'GB-2312' || name === 'EUC-CN') return 'GB2312';
  if (name === 'GBK' || name === 'CP936') return 'GBK';
  if (name === 'GB18030') return 'GB18030';
  return null;
}

/** True when the bytes are valid UTF-8 (strictly; ASCII counts as valid). */
function isUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/** Decodes body bytes to text: a UTF-8 BOM wins, then the declared charset (GB* read as GB18030, their superset); undeclared → UTF-8 when valid, else GB18030. */
export function decodeText(body: Buffer | string): { text: string; charset: ManscdpCharset } {
  let buf = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  if (bom) buf = buf.subarray(3);
  const declared = bom ? 'UTF-8' : declaredCharset(buf.subarray(0, 200).toString('latin1'));
  const charset: ManscdpCharset = declared ?? (isUtf8(buf) ? 'UTF-8' : 'GB18030');
  const text = charset === 'UTF-8' ? buf.toString('utf8') : iconv.decode(buf, 'gb18030');
  return { text, charset };
}

/** The value under `name`, matched case-insensitively (devices send `deviceID`, `DeviceId`, `SN`, `sn` ...). */
export function fieldOf(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const rec = obj as Record<string, unknown>;
  if (name in rec) return rec[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}

/** A leaf's text (strings stay strings; an element with attributes gives its #text); '' when absent. */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return textOf((v as Record<string, unknown>)['#text']);
  return '';
}

/** The Item children of a list element (DeviceList, RecordList ...), always an array. */
export function itemsOf(list: unknown): Record<string, unknown>[] {
  const items = fieldOf(list, 'Item');
  if (Array.isArray(items)) return items.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object');
  return [];
}

/** Decodes a MANSCDP body ('binary' latin1 string from the sip package, or bytes); known element names come out in the standard's case (`sumnum` → SumNum). Throws ManscdpError when it is not one. */
export function decodeManscdp(body: Buffer | string): Manscdp & { charset: ManscdpCharset } {
  const { text: raw, charset } = decodeText(body);
  const text = raw
    .replace(/^\uFEFF/, '')
    .replace(/\0+$/, '')
    .trim();
  if (!text.startsWith('<')) throw new ManscdpError('body is not XML');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ManscdpError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as Record<string, unknown>;
  const rootKey = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  const root = ROOTS.find((r) => r.toLowerCase() === rootKey?.toLowerCase());
  if (!rootKey || !root) throw new ManscdpError(`unknown root element ${rootKey ?? '(none)'}`);
  const el = doc[rootKey];
  if (el === null || typeof el !== 'object') throw new ManscdpError(`empty ${root}`);
  const cmdType = textOf(fieldOf(el, 'CmdType')).trim();
  const snText = textOf(fieldOf(el, 'SN')).trim();
  const deviceId = textOf(fieldOf(el, 'DeviceID')).trim();
  if (!cmdType) throw new ManscdpError('no CmdType');
  if (!/^\d{1,15}$/.test(snText)) throw new ManscdpError(`SN is not a number: ${snText || '(none)'}`);
  if (!deviceId) throw new ManscdpError('no DeviceID');
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(canonicalise(el) as Record<string, unknown>)) {
    if (k === 'CmdType' || k === 'SN' || k === 'DeviceID') continue;
    fields[k] = v;
  }
  return { root, cmdType, sn: Number(snText), deviceId, fields, charset };
}

/** Encodes a MANSCDP body to bytes (GB2312 unless told otherwise), CmdType/SN/DeviceID first, then the fields in order. */
export function encodeManscdp(m: Manscdp, charset: ManscdpCharset = 'GB2312'): Buffer {
  const inner = builder.build({ CmdType: m.cmdType, SN: String(m.sn), DeviceID: m.deviceId, ...stringify(m.fields) }) as string;
  const xml = `<?xml version="1.0" encoding="${charset}"?>\r\n<${m.root}>\r\n${inner.replace(/\n/g, '\r\n')}</${m.root}>\r\n`;
  return charset === 'UTF-8' ? Buffer.from(xml, 'utf8') : iconv.encode(xml, charset === 'GB2312' ? 'gb2312' : charset === 'GBK' ? 'gbk' : 'gb18030');
}

/** Numbers and booleans to strings, recursively (the wire has only text). */
function stringify(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = stringifyValue(x);
  return out;
}

function stringifyValue(x: unknown): unknown {
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (Array.isArray(x)) return x.map(stringifyValue);
  if (x !== null && typeof x === 'object') return stringify(x as Record<string, unknown>);
  return x;
}
