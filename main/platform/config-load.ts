// Loads the server configuration from the declarations: defaults, <dataDir>/argus.json, ARGUS_* environment, then flags.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from '../../common/schema';
import { declOf, SETTING_KEYS, SETTINGS, type SettingDecl, type SettingKey, type Settings } from './settings';

/** Where a setting's value came from. */
export type Origin = 'default' | 'argus.json' | 'environment' | 'command line';

export interface Config extends Settings {
  /** Root for the database, recordings and config file (absolute). */
  dataDir: string;
  /** 'auto' when minFreeBytes was derived from the volume's size, 'set' when configured. */
  minFreeBytesFrom: 'auto' | 'set';
  /** Where each setting that is not at its default came from (for the start-up log line). */
  origins: Partial<Record<SettingKey, Origin>>;
}

/** Values set by the caller (command-line flags; tests), validated like the others. */
export type ConfigOverrides = Partial<Omit<Settings, 'dataDir' | 'adminPassword'>>;

/** A bad setting: the message names the setting and where the value came from. */
export class ConfigError extends Error {}

/** The automatic minimum free space: 2 GiB, but never more than this share of the recordings volume. */
export const AUTO_MIN_FREE_MAX_BYTES = 2 * 1024 ** 3;
export const AUTO_MIN_FREE_FRACTION = 0.05;

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Size and free space of the volume holding `dir` (its nearest existing ancestor while it does not exist yet); null if unreadable. */
export function volumeOf(dir: string): { sizeBytes: number; freeBytes: number } | null {
  let d = path.resolve(dir);
  for (;;) {
    try {
      const st = fs.statfsSync(d);
      return { sizeBytes: Number(st.blocks) * Number(st.bsize), freeBytes: Number(st.bavail) * Number(st.bsize) };
    } catch {
      const up = path.dirname(d);
      if (up === d) return null;
      d = up;
    }
  }
}

/** min(2 GiB, 5 % of the volume): a 2 GiB floor on a 32 GiB card or a 64 MiB test volume would delete every recording. */
export function autoMinFreeBytes(dir: string): number {
  const v = volumeOf(dir);
  return v ? Math.min(AUTO_MIN_FREE_MAX_BYTES, Math.floor(v.sizeBytes * AUTO_MIN_FREE_FRACTION)) : AUTO_MIN_FREE_MAX_BYTES;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function isNumeric(d: SettingDecl<unknown>): boolean {
  return d.schema.json.type === 'number' || d.schema.json.type === 'integer';
}

/** Lists and objects (the directory group mapping, role lists) are JSON in the environment. */
function isStructured(d: SettingDecl<unknown>): boolean {
  return d.schema.json.type === 'array' || d.schema.json.type === 'object';
}

function jsonOrRaw(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw; // the schema names what is wrong
  }
}

/** Validates one value against its declaration; throws a ConfigError naming `where` (and the value, unless secret). */
function checked(key: SettingKey, value: unknown, where: string, shown: string): unknown {
  const d = declOf(key);
  const r = parse(d.schema, value);
  if (r.ok) return r.value;
  throw new ConfigError(`${where}: ${r.errors.map((e) => e.message).join('; ')}${d.secret ? '' : `, got ${shown}`}`);
}

/** The value of one setting from the environment, validated (undefined when unset or empty). */
export function settingFromEnv<K extends SettingKey>(key: K, env: NodeJS.ProcessEnv): Settings[K] | undefined {
  const d = declOf(key);
  const raw = env[d.env];
  if (raw === undefined || raw === '') return undefined;
  const value = isNumeric(d)
    ? Number(raw)
    : d.schema.json.type === 'boolean'
      ? (({ true: true, false: false } as Record<string, boolean>)[raw] ?? raw)
      : isStructured(d)
        ? jsonOrRaw(raw)
        : raw;
  return checked(key, value, `${d.env} (environment)`, JSON.stringify(raw)) as Settings[K];
}

/** The data directory: the --data-dir flag, else ARGUS_DATA_DIR, else ./data (absolute). */
export function dataDirFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromFlag = flag === undefined ? undefined : (checked('dataDir', flag, `${SETTINGS.dataDir.flag} (command line)`, JSON.stringify(flag)) as string);
  return path.resolve(fromFlag ?? settingFromEnv('dataDir', env) ?? String(SETTINGS.dataDir.default));
}

function readFileConfig(file: string): Partial<Record<SettingKey, unknown>> {
  if (!fs.existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: must be a JSON object`);
  const out: Partial<Record<SettingKey, unknown>> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!Object.prototype.hasOwnProperty.call(SETTINGS, k)) throw new ConfigError(`${file}: unknown setting "${k}"`);
    const key = k as SettingKey;
    const d = declOf(key);
    if (d.envOnly) throw new ConfigError(`${file}: "${k}" cannot be set in argus.json, only in the environment (${d.env})`);
    out[key] = checked(key, v, `${file}: "${k}"`, JSON.stringify(v));
  }
  return out;
}

export function loadConfig(opts: { dataDir: string; env?: NodeJS.ProcessEnv; overrides?: ConfigOverrides }): Config {
  const env = opts.env ?? process.env;
  const dataDir = path.resolve(opts.dataDir);
  const values: Partial<Record<SettingKey, unknown>> = {};
  const origins: Partial<Record<SettingKey, Origin>> = {};
  for (const key of SETTING_KEYS) values[key] = declOf(key).default;
  for (const [k, v] of Object.entries(readFileConfig(path.join(dataDir, 'argus.json')))) {
    values[k as SettingKey] = v;
    origins[k as SettingKey] = 'argus.json';
  }
  for (const key of SETTING_KEYS) {
    if (key === 'dataDir') continue; // located before argus.json can be read: see dataDirFrom
    const v = settingFromEnv(key, env);
    if (v === undefined) continue;
    values[key] = v;
    origins[key] = 'environment';
  }
  for (const [k, v] of Object.entries(opts.overrides ?? {})) {
    if (v === undefined) continue;
    const key = k as SettingKey;
    const flag = declOf(key).flag;
    values[key] = checked(key, v, flag ? `${flag} (command line)` : `${key} (override)`, typeof v === 'string' ? JSON.stringify(v) : String(v));
    origins[key] = 'command line';
  }
  const cfg = values as Settings;
  const rtmpBind = cfg.rtmpBind ?? cfg.bind;
  const recordingsDir = path.resolve(dataDir, cfg.recordingsDir);
  const minFreeSet = typeof values.minFreeBytes === 'number';
  return {
    ...cfg,
    minFreeBytes: minFreeSet ? cfg.minFreeBytes : autoMinFreeBytes(recordingsDir),
    minFreeBytesFrom: minFreeSet ? 'set' : 'auto',
    rtmpBind,
    sipBind: cfg.sipBind ?? rtmpBind,
    sipDomain: cfg.sipDomain ?? cfg.sipServerId.slice(0, 10),
    publicHost: cfg.publicHost ?? (isWildcard(rtmpBind) ? os.hostname() : rtmpBind),
    dataDir,
    recordingsDir,
    dbFile: path.resolve(dataDir, cfg.dbFile),
    mbtilesFile: path.resolve(dataDir, cfg.mbtilesFile),
    secretsKeyFile: path.resolve(dataDir, cfg.secretsKeyFile),
    consoleDir: path.resolve(cfg.consoleDir ?? path.join(REPO_ROOT, 'dist', 'renderer')),
    origins,
  };
}
