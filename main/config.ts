// Server configuration: defaults, <dataDir>/argus.json, then ARGUS_* environment variables, then command-line flags.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Config {
  /** Root for the database, recordings and config file. */
  dataDir: string;
  /** Where recordings are written (default <dataDir>/recordings). */
  recordingsDir: string;
  /** SQLite file (default <dataDir>/argus.db). */
  dbFile: string;
  /** Address the HTTP server binds to. */
  bind: string;
  /** HTTP port (0 = pick a free one). */
  port: number;
  /** RTMP port of the media hub (units publish here; 0 = pick a free one). */
  rtmpPort: number;
  /** Address the RTMP listener binds to (default: `bind`). */
  rtmpBind: string;
  /** Host name units use in their publish URL (default: rtmpBind, or this machine's host name when that is a wildcard). */
  publicHost: string;
  /** Default segment length for new cameras, seconds. */
  segmentSeconds: number;
  /** Session lifetime after the last request, ms. */
  sessionIdleMs: number;
  /** Retention: total bytes recordings may use (0 = no limit). */
  maxRecordingsBytes: number;
  /** Retention: minimum free bytes to keep on the recordings volume (default: min(2 GiB, 5 % of the volume)). */
  minFreeBytes: number;
  /** 'auto' when minFreeBytes was derived from the volume's size, 'set' when configured. */
  minFreeBytesFrom: 'auto' | 'set';
  /** How often retention runs, ms. */
  retentionIntervalMs: number;
  /** How often free space is checked between retention runs (a pass starts at once when it is low), ms. */
  freeSpaceCheckMs: number;
  /** Path of the ffmpeg and ffprobe binaries. */
  ffmpegPath: string;
  ffprobePath: string;
  /** Directory with the built console (renderer) to serve at /. */
  consoleDir: string;
  /** ONVIF: deadline of one request to a device, ms (a hanging device fails after this). */
  onvifTimeoutMs: number;
  /** ONVIF: PTZ control is released after this long without a command from its holder, ms. */
  ptzControlIdleMs: number;
  /** ONVIF: a continuous PTZ move stops this long after the last move command (lost release), ms. */
  ptzMoveTimeoutMs: number;
  /** ONVIF: how often each device is checked (reachable, clock offset), ms. */
  onvifHealthIntervalMs: number;
  /** ONVIF: a device clock further off than this is flagged, ms. */
  onvifClockToleranceMs: number;
  /** Alarms: occurrences of one source and type within this many ms of the previous one merge into one alarm (0 = never merge). */
  alarmMergeWindowMs: number;
  /** Alarms: how often escalations that fell due are checked, ms. */
  alarmEscalationCheckMs: number;
  /** Alarms: delivery feed entries older than this are pruned (a console away longer reloads the list), ms. */
  alarmFeedKeepMs: number;
  /** Units: a unit's telemetry link counts as up while its telemetry WebSocket is open or it sent anything within this many ms. */
  unitTelemetryTimeoutMs: number;
  /** GPS (issue 5): keep GPS points this many days (separate from video retention; 0 = forever). */
  gpsRetentionDays: number;
  /** GPS: map tile URL template ({z}/{x}/{y}); 'local' = the MBTiles file below, served by Argus at /api/v1/gps/tiles/. */
  mapTileUrl: string;
  /** GPS: datum of the tile source: 'wgs84', or 'gcj02' (positions are converted before drawing). */
  mapTileDatum: string;
  /** GPS: the local MBTiles file (default <dataDir>/map.mbtiles). */
  mbtilesFile: string;
}

export const DEFAULTS = {
  bind: '127.0.0.1',
  port: 8640,
  rtmpPort: 1935,
  segmentSeconds: 60,
  sessionIdleMs: 12 * 3600_000,
  maxRecordingsBytes: 0,
  retentionIntervalMs: 5 * 60_000,
  freeSpaceCheckMs: 5_000,
  ffmpegPath: 'ffmpeg',
  ffprobePath: 'ffprobe',
  onvifTimeoutMs: 5_000,
  ptzControlIdleMs: 30_000,
  ptzMoveTimeoutMs: 1_500,
  onvifHealthIntervalMs: 30_000,
  onvifClockToleranceMs: 5_000,
  alarmMergeWindowMs: 60_000,
  alarmEscalationCheckMs: 1_000,
  alarmFeedKeepMs: 7 * 24 * 3600_000,
  unitTelemetryTimeoutMs: 60_000,
  gpsRetentionDays: 365,
  mapTileUrl: 'local',
  mapTileDatum: 'wgs84',
} as const;

type FileConfig = Partial<Omit<Config, 'dataDir' | 'minFreeBytesFrom'>>;

const NUMERIC_KEYS = [
  'port',
  'rtmpPort',
  'segmentSeconds',
  'sessionIdleMs',
  'maxRecordingsBytes',
  'minFreeBytes',
  'retentionIntervalMs',
  'freeSpaceCheckMs',
  'onvifTimeoutMs',
  'ptzControlIdleMs',
  'ptzMoveTimeoutMs',
  'onvifHealthIntervalMs',
  'onvifClockToleranceMs',
  'alarmMergeWindowMs',
  'alarmEscalationCheckMs',
  'alarmFeedKeepMs',
  'unitTelemetryTimeoutMs',
  'gpsRetentionDays',
] as const;
const STRING_KEYS = ['recordingsDir', 'dbFile', 'bind', 'rtmpBind', 'publicHost', 'ffmpegPath', 'ffprobePath', 'consoleDir', 'mapTileUrl', 'mapTileDatum', 'mbtilesFile'] as const;

/** The automatic minimum free space: 2 GiB, but never more than this share of the recordings volume. */
export const AUTO_MIN_FREE_MAX_BYTES = 2 * 1024 ** 3;
export const AUTO_MIN_FREE_FRACTION = 0.05;

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

/** ARGUS_PORT, ARGUS_BIND, ARGUS_MAX_RECORDINGS_BYTES ... : camelCase key → upper snake case. */
export function envName(key: string): string {
  return 'ARGUS_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

export class ConfigError extends Error {}

function readFileConfig(file: string): FileConfig {
  if (!fs.existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: must be a JSON object`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if ((NUMERIC_KEYS as readonly string[]).includes(k)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${file}: "${k}" must be a non-negative number`);
    } else if ((STRING_KEYS as readonly string[]).includes(k)) {
      if (typeof v !== 'string' || !v) throw new ConfigError(`${file}: "${k}" must be a non-empty string`);
    } else {
      throw new ConfigError(`${file}: unknown setting "${k}"`);
    }
    out[k] = v;
  }
  return out as FileConfig;
}

export function loadConfig(opts: { dataDir: string; env?: NodeJS.ProcessEnv; overrides?: FileConfig }): Config {
  const env = opts.env ?? process.env;
  const dataDir = path.resolve(opts.dataDir);
  const merged: Record<string, unknown> = { ...DEFAULTS, ...readFileConfig(path.join(dataDir, 'argus.json')) };
  for (const k of [...NUMERIC_KEYS, ...STRING_KEYS]) {
    const v = env[envName(k)];
    if (v === undefined || v === '') continue;
    if ((NUMERIC_KEYS as readonly string[]).includes(k)) {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${envName(k)}: must be a non-negative number, got "${v}"`);
      merged[k] = n;
    } else merged[k] = v;
  }
  for (const [k, v] of Object.entries(opts.overrides ?? {})) if (v !== undefined) merged[k] = v;
  const cfg = merged as Omit<Config, 'dataDir'> & Partial<Config>;
  for (const k of ['port', 'rtmpPort'] as const) {
    const v = cfg[k];
    if (!Number.isInteger(v) || v < 0 || v > 65535) throw new ConfigError(`${k}: not a port number: ${v}`);
  }
  if (cfg.mapTileDatum !== 'wgs84' && cfg.mapTileDatum !== 'gcj02') throw new ConfigError(`mapTileDatum: must be wgs84 or gcj02, got "${cfg.mapTileDatum}"`);
  const rtmpBind = cfg.rtmpBind ?? cfg.bind;
  const recordingsDir = path.resolve(dataDir, cfg.recordingsDir ?? 'recordings');
  const minFreeSet = typeof cfg.minFreeBytes === 'number';
  return {
    ...(cfg as Config),
    minFreeBytes: minFreeSet ? cfg.minFreeBytes : autoMinFreeBytes(recordingsDir),
    minFreeBytesFrom: minFreeSet ? 'set' : 'auto',
    rtmpBind,
    publicHost: cfg.publicHost ?? (isWildcard(rtmpBind) ? os.hostname() : rtmpBind),
    dataDir,
    recordingsDir,
    dbFile: path.resolve(dataDir, cfg.dbFile ?? 'argus.db'),
    mbtilesFile: path.resolve(dataDir, cfg.mbtilesFile ?? 'map.mbtiles'),
    consoleDir: path.resolve(cfg.consoleDir ?? path.join(import.meta.dirname, '..', 'dist', 'renderer')),
  };
}
