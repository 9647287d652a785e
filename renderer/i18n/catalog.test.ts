// Catalog checks: zh-CN has every English key, non-empty, with the same placeholders; the design brief's terms; no hard-coded UI text.
import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en';
import { CATALOGS, initialLang, LANGS, placeholdersOf, translate } from './index';
import { zhCN } from './zh-CN';

const enKeys = Object.keys(en) as MessageKey[];

describe('message catalogs', () => {
  it('zh-CN has every English key with a non-empty text and no extra keys', () => {
    const zh = zhCN as Record<string, string>;
    for (const key of enKeys) {
      expect(zh[key], `zh-CN is missing "${key}"`).toBeTypeOf('string');
      expect(zh[key].trim(), `zh-CN text of "${key}" is empty`).not.toBe('');
      expect(en[key].trim(), `en text of "${key}" is empty`).not.toBe('');
    }
    expect(Object.keys(zh).filter((k) => !(k in en))).toEqual([]);
  });

  it('placeholders match between the languages', () => {
    for (const key of enKeys) expect(placeholdersOf(zhCN[key]), `placeholders of "${key}"`).toEqual(placeholdersOf(en[key]));
  });

  it('every language in LANGS has a catalog', () => {
    for (const l of LANGS) expect(Object.keys(CATALOGS[l]).sort()).toEqual([...enKeys].sort());
  });

  it('uses the exact zh-CN terms of the design brief', () => {
    expect(zhCN['tab.live']).toBe('实时预览');
    expect(zhCN['tab.map']).toBe('电子地图');
    expect(zhCN['tab.playback']).toBe('录像回放');
    expect(zhCN['tab.alarms']).toBe('报警中心');
    expect(zhCN['tab.cases']).toBe('案件');
    expect(zhCN['tab.admin']).toBe('系统管理');
    expect(zhCN['admin.nav.cameras']).toBe('摄像机');
    expect(zhCN['admin.nav.users']).toBe('用户');
    expect(zhCN['users.col.role']).toBe('角色');
    expect(zhCN['tree.title']).toBe('设备');
    expect(zhCN['role.admin']).toBe('管理员');
    expect(zhCN['role.dispatcher']).toBe('调度员');
    expect(zhCN['role.investigator']).toBe('侦查员');
    expect(zhCN['role.officer']).toBe('民警');
    expect(zhCN['cameras.col.retention']).toBe('录像保存期限');
    expect(zhCN['admin.nav.audit']).toBe('操作日志');
    expect(zhCN['seg.protected']).toBe('证据锁定');
    expect(zhCN['live.layout.label']).toBe('画面分割');
    expect(zhCN['live.stream.main']).toBe('主码流');
    expect(zhCN['live.stream.sub']).toBe('子码流');
    expect(zhCN['live.tool.snapshot']).toContain('抓图');
    expect(zhCN['onvif.ptz.title']).toContain('云台控制');
    expect(zhCN['live.tour.button']).toContain('轮巡');
    expect(zhCN['live.display.open']).toContain('电视墙');
    expect(zhCN['live.tile.recordingHint']).toContain('录像');
    expect(zhCN['admin.nav.units']).toBe('移动终端');
    expect(zhCN['units.title']).toBe('移动终端');
    expect(zhCN['units.online']).toBe('在线');
    expect(zhCN['units.offline']).toBe('离线');
    expect(zhCN['live.status.offline']).toBe('离线');
    expect(zhCN['unitType.vehicle']).toBe('车载终端');
    expect(zhCN['unitType.body']).toBe('执法记录仪');
    expect(zhCN['unitType.handheld']).toBe('手持终端/单兵');
    expect(zhCN['unitType.portable']).toBe('便携式布控球');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'cameras.deleted', { name: 'Gate 1' })).toBe('Camera "Gate 1" was deleted.');
    expect(translate('zh-CN', 'tree.summary', { recording: 3, total: 4 })).toBe('3/4 路录像中');
    expect(translate('en', 'unit.mbps')).toBe('{value} Mbit/s');
  });

  it('words counts in the right plural form: 1 camera, 5 cameras (never "1 cameras")', () => {
    expect(translate('en', 'cameras.count', { count: 1 })).toBe('1 camera');
    expect(translate('en', 'cameras.count', { count: 5 })).toBe('5 cameras');
    expect(translate('en', 'cameras.count', { count: 0 })).toBe('0 cameras');
    expect(translate('en', 'live.layout.option', { count: 1 })).toBe('Layout with 1 tile');
    expect(translate('en', 'live.layout.option', { count: 16 })).toBe('Layout with 16 tiles');
    expect(translate('en', 'units.count', { count: 1, online: 0 })).toBe('1 unit, 0 online');
    expect(translate('zh-CN', 'cameras.count', { count: 1 })).toBe('共 1 台摄像机');
    expect(placeholdersOf('{count:one=# camera;other=# cameras}, {size}')).toEqual(['count', 'size']);
  });

  it('no English message puts a bare count before a plural noun', () => {
    // "{count} cameras" reads "1 cameras"; such a message needs a plural choice. Units of measure ("{value} s") are fine.
    const unitsOfMeasure = new Set(['s', 'fps', 'days']);
    const offenders = enKeys.filter((k) => [...en[k].matchAll(/\{(count|total|segments|n)\} ([a-z]+s)\b/g)].some((m) => !unitsOfMeasure.has(m[2]!)));
    expect(offenders).toEqual([]);
  });

  it('picks the stored language, else the browser language', () => {
    const store = (v: string | null) => ({ getItem: () => v });
    expect(initialLang(store('zh-CN'), ['en-US'])).toBe('zh-CN');
    expect(initialLang(store('en'), ['zh-CN'])).toBe('en');
    expect(initialLang(store('fr'), ['zh-TW', 'en'])).toBe('zh-CN');
    expect(initialLang(null, ['de-DE', 'en-GB'])).toBe('en');
    expect(initialLang(null, ['de-DE'])).toBe('en');
    expect(
      initialLang(
        {
          getItem: () => {
            throw new Error('denied');
          },
        },
        ['zh'],
      ),
    ).toBe('zh-CN');
  });
});

// ---- no user-visible text outside the catalogs ----
type Glob = (pattern: string | string[], opts: { query: string; import: string; eager: true }) => Record<string, string>;
const sources = (import.meta as ImportMeta & { glob: Glob }).glob(['../**/*.tsx', '!../**/*.test.tsx'], { query: '?raw', import: 'default', eager: true });

/** Text between JSX tags and literal text attributes that contain letters (Latin or CJK). */
function hardCodedTexts(source: string): string[] {
  const found: string[] = [];
  const code = source.replace(/(^|[^:])\/\/.*$/gm, '$1').replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of code.matchAll(/>([^<>{}]*[A-Za-z\u4e00-\u9fff][^<>{}]*)</g)) {
    const text = m[1].trim();
    // Comparisons, generics and ternaries between JSX blocks can look like text; real JSX text has none of their tokens.
    const looksLikeCode = /;|=|&&|\|\||^\)|(^|\s)[?:](\s|$)/.test(text);
    if (text && !looksLikeCode) found.push(text);
  }
  for (const m of code.matchAll(/\b(?:title|placeholder|aria-label|alt|label)="([^"]*[A-Za-z\u4e00-\u9fff][^"]*)"/g)) {
    if (!/^[a-z]+s?:\/\//.test(m[1])) found.push(m[1]); // example stream URLs are not language
  }
  return found;
}

describe('renderer sources', () => {
  it('were found', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10);
  });

  it('take every user-visible text from the catalogs', () => {
    const offenders = Object.entries(sources).flatMap(([file, text]) => hardCodedTexts(text).map((s) => `${file}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it('the check itself catches hard-coded text', () => {
    expect(hardCodedTexts('<p>Hello operator</p><input placeholder="Search" /><input placeholder="rtsp://x/y" />')).toEqual(['Hello operator', 'Search']);
    expect(hardCodedTexts('<div>\n  Delete this camera?\n</div>')).toEqual(['Delete this camera?']);
    expect(hardCodedTexts('const s = new Store<number | null>(null); const x = a < b;')).toEqual([]);
    expect(hardCodedTexts('{a ? <b /> : null}\n) : (\n<i />')).toEqual([]);
  });
});
