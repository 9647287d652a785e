// Words the setting declarations for people: the README's configuration tables and the start-up "effective settings" log line.
import type { Config } from './config-load';
import { declOf, SETTING_KEYS, type SettingKey } from './settings';

const code = (v: string) => '`' + v + '`';

function defaultCell(key: SettingKey): string {
  const d = declOf(key);
  if (d.defaultText) return d.defaultText;
  return d.default === undefined ? '(unset)' : code(String(d.default));
}

function meaningCell(key: SettingKey): string {
  const d = declOf(key);
  let m = d.description;
  if (d.flag) m += ` (command line: ${code(d.flag)})`;
  if (d.envOnly) m += '. Not accepted in `argus.json`';
  if (d.secret) m += '. Secret: never logged';
  return m;
}

function row(key: SettingKey): string {
  const d = declOf(key);
  const setting = d.envOnly ? '—' : code(key);
  return `| ${setting} | ${code(d.env)} | ${defaultCell(key)} | ${meaningCell(key)} |`;
}

/** The Markdown table of the given settings (all by default). */
export function settingsTable(keys: readonly SettingKey[] = SETTING_KEYS): string {
  return ['| setting (`argus.json`) | environment | default | meaning |', '|---|---|---|---|', ...keys.map(row)].join('\n');
}

/** Generated README blocks: marker name → content. */
export function readmeBlocks(): Record<string, string> {
  return {
    config: settingsTable(),
    'config-onvif': settingsTable(SETTING_KEYS.filter((k) => declOf(k).onvif)),
  };
}

/** README.md with every generated block replaced (between `<!-- NAME:start -->` and `<!-- NAME:end -->`). */
export function renderReadme(readme: string): string {
  let out = readme;
  for (const [name, content] of Object.entries(readmeBlocks())) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const a = out.indexOf(start);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new Error(`README.md has no ${start} ... ${end} block`);
    out = out.slice(0, a + start.length) + '\n' + content + '\n' + out.slice(b);
  }
  return out;
}

function shown(v: unknown): string {
  return typeof v === 'string' && (v === '' || /\s/.test(v)) ? JSON.stringify(v) : String(v);
}

/**
 * One log line with every setting's effective value, and where it came from when not the default. A secret setting shows
 * only whether it is set.
 */
export function effectiveSettingsLine(config: Config): string {
  const parts: string[] = [];
  for (const key of SETTING_KEYS) {
    const v = config[key];
    const from = config.origins[key];
    if (declOf(key).secret) {
      if (v !== undefined) parts.push(`${key}=(set${from ? `, ${from}` : ''})`);
      continue;
    }
    if (v === undefined) continue;
    const auto = key === 'minFreeBytes' && config.minFreeBytesFrom === 'auto' ? ' (auto)' : '';
    parts.push(`${key}=${shown(v)}${from ? ` (${from})` : auto}`);
  }
  return `[argus] settings: ${parts.join(', ')}`;
}
