// GB/T 28181 device simulator: MANSCDP XML written as field devices do (GB2312, an odd declaration, optional lower-case tags) and a forgiving reader.
import iconv from 'iconv-lite';

/** How this device's XML looks on the wire. */
export interface XmlStyle {
  /** 'gb2312' (the default, like most devices) or 'utf-8'. */
  charset: 'gb2312' | 'utf-8';
  /** Element names in lower case (<cmdtype>), seen on some cheap encoders. */
  lowerTags: boolean;
}

/** An element tree to write: a value is text, a nested object, or a list of repeated children (Item). */
export type XmlNode = string | number | XmlObject | XmlNode[];
export interface XmlObject {
  [tag: string]: XmlNode;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function write(tag: string, node: XmlNode, style: XmlStyle, indent: string, attrs = ''): string {
  const name = style.lowerTags ? tag.toLowerCase() : tag;
  if (Array.isArray(node)) return node.map((n) => write(tag, n, style, indent)).join('');
  if (typeof node === 'object') {
    const entries = Object.entries(node).filter(([k]) => k !== '@Num');
    const num = node['@Num'];
    const inner = entries.map(([k, v]) => write(k, v, style, indent + '  ')).join('');
    const a = num !== undefined ? ` Num="${String(num as string | number)}"` : attrs;
    return `${indent}<${name}${a}>\r\n${inner}${indent}</${name}>\r\n`;
  }
  return `${indent}<${name}>${esc(String(node))}</${name}>\r\n`;
}

/**
 * Serialises `<root>` with CmdType/SN/DeviceID first (as annex A orders them) and encodes it: GB2312 with the
 * declaration many devices send (spaces around '=', lower-case charset, standalone), or UTF-8.
 */
export function buildXml(root: string, body: XmlObject, style: XmlStyle): Buffer {
  const decl = style.charset === 'gb2312' ? '<?xml version = "1.0" encoding = "gb2312" standalone="yes" ?>' : '<?xml version="1.0" encoding="UTF-8"?>';
  const text = `${decl}\r\n${write(root, body, style, '')}`;
  return style.charset === 'gb2312' ? iconv.encode(text, 'gb2312') : Buffer.from(text, 'utf8');
}

/** Decodes a MANSCDP body by its declared charset (GB2312/GBK/GB18030 or UTF-8). */
export function decodeXml(buf: Buffer): string {
  const head = buf.subarray(0, 100).toString('latin1');
  const m = /encoding\s*=\s*["']?([A-Za-z0-9_-]+)/i.exec(head);
  const cs = (m?.[1] ?? 'utf-8').toLowerCase();
  if (cs.startsWith('gb')) return iconv.decode(buf, 'gb18030');
  return buf.toString('utf8');
}

/** A parsed MANSCDP document: the root's name and a case-insensitive reader of its (first-level or nested) texts. */
export interface XmlDoc {
  root: string;
  text: string;
  /** The text of the first element with this name anywhere (case-insensitive), trimmed; undefined when absent. */
  get(tag: string): string | undefined;
}

export function readXml(buf: Buffer): XmlDoc | null {
  const text = decodeXml(buf);
  const rootM = /<\s*([A-Za-z]+)[^>?]*>/.exec(text.replace(/<\?[\s\S]*?\?>/g, ''));
  if (!rootM) return null;
  return {
    root: rootM[1],
    text,
    get(tag: string) {
      const m = new RegExp(`<\\s*${tag}(?:\\s[^>]*)?>([\\s\\S]*?)<\\s*/\\s*${tag}\\s*>`, 'i').exec(text);
      return m ? m[1].trim() : undefined;
    },
  };
}

/** Local time as GB/T 28181 writes it: 2026-12-07T08:00:00 (no zone). */
export function gbTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Parses a GB time (local, 'T' or space, optional fraction) to epoch ms; NaN when unreadable. */
export function parseGbTime(text: string | undefined): number {
  if (!text) return NaN;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})/.exec(text.trim());
  if (!m) return NaN;
  return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]).getTime();
}
