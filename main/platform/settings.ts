// Every server setting declared once: schema (type + validation), environment variable, default, description, secrecy.
import { s } from '../../common/schema';
import { count, port, setting, text, unsetSetting, type SettingDecl } from './setting-decl';
import { SIGNIN_SETTINGS } from './settings-signin';
import { GB28181_SETTINGS } from './settings-gb28181';

export type { SettingDecl } from './setting-decl';

export const SETTINGS = {
  dataDir: setting({
    schema: text(),
    env: 'ARGUS_DATA_DIR',
    default: 'data',
    defaultText: '`./data`',
    envOnly: true,
    flag: '--data-dir',
    description: 'data directory: database, recordings, exports and `argus.json` (relative to the working directory)',
  }),
  bind: setting({ schema: text(), env: 'ARGUS_BIND', default: '127.0.0.1', flag: '--bind', description: 'address the HTTP server listens on' }),
  port: setting({ schema: port(), env: 'ARGUS_PORT', default: 8640, flag: '--port', description: 'HTTP port (0 picks a free one)' }),
  rtmpPort: setting({
    schema: port(),
    env: 'ARGUS_RTMP_PORT',
    default: 1935,
    description: 'RTMP port of the media hub, where mobile units publish (0 picks a free one)',
  }),
  rtmpBind: setting({
    schema: text(),
    env: 'ARGUS_RTMP_BIND',
    default: undefined,
    defaultText: '= `bind`',
    description: 'address the RTMP listener binds to (units on the 4G network must reach it)',
  }),
  publicHost: setting({
    schema: text(),
    env: 'ARGUS_PUBLIC_HOST',
    default: undefined,
    defaultText: "= `rtmpBind` (this machine's host name when that is `0.0.0.0`)",
    description: 'host name in the publish URLs given to units',
  }),
  tlsCertFile: unsetSetting({
    schema: text(),
    env: 'ARGUS_TLS_CERT_FILE',
    default: undefined,
    defaultText: 'unset (plain HTTP)',
    description:
      'PEM certificate of the Argus port (the site certificate, optionally followed by its intermediate chain), relative to the data directory. With `tlsKeyFile` the port serves HTTPS and WSS only and units get an RTMPS publish URL (`npm run make-cert`, docs/tls.md); a missing or unreadable file stops the start',
  }),
  tlsKeyFile: unsetSetting({
    schema: text(),
    env: 'ARGUS_TLS_KEY_FILE',
    default: undefined,
    defaultText: 'unset (plain HTTP)',
    description: 'PEM private key of `tlsCertFile`, relative to the data directory (keep it readable by the service user only)',
  }),
  httpMode: setting<'redirect' | 'refuse'>({
    schema: s.enum(['redirect', 'refuse'] as const),
    env: 'ARGUS_HTTP_MODE',
    default: 'redirect',
    description:
      'with TLS on, what a plain-HTTP request to the Argus port (or to `httpRedirectPort`) gets: `redirect` (308 to the same path over HTTPS) or `refuse` (400, nothing served)',
  }),
  httpRedirectPort: unsetSetting({
    schema: port(),
    env: 'ARGUS_HTTP_REDIRECT_PORT',
    default: undefined,
    defaultText: 'unset (none)',
    description: 'with TLS on, an extra plain-HTTP port (e.g. 80) on `bind` that only answers as `httpMode` says; ignored without TLS',
  }),
  rtmpsPort: setting({
    schema: port(),
    env: 'ARGUS_RTMPS_PORT',
    default: 1936,
    description:
      'with TLS on, RTMPS port of the media hub (same certificate, on `rtmpBind`): units are told to publish there, and a unit publishing over plain RTMP is refused unless `unitPlainRtmp` (0 picks a free one)',
  }),
  unitPlainRtmp: setting({
    schema: s.boolean(),
    env: 'ARGUS_UNIT_PLAIN_RTMP',
    default: false,
    description: 'with TLS on, still accept units publishing over plain RTMP (their stream key crosses the network in clear; for a migration only)',
  }),
  recordingsDir: setting({
    schema: text(),
    env: 'ARGUS_RECORDINGS_DIR',
    default: 'recordings',
    description: 'where recordings are written, relative to the data directory',
  }),
  dbFile: setting({ schema: text(), env: 'ARGUS_DB_FILE', default: 'argus.db', description: 'SQLite database file, relative to the data directory' }),
  segmentSeconds: setting({ schema: count(), env: 'ARGUS_SEGMENT_SECONDS', default: 60, description: 'default segment length for new cameras, seconds' }),
  maxRecordingsBytes: setting({
    schema: count(),
    env: 'ARGUS_MAX_RECORDINGS_BYTES',
    default: 0,
    defaultText: '`0` (no limit)',
    description: 'retention: total size budget for recordings',
  }),
  minFreeBytes: setting({
    schema: count(),
    env: 'ARGUS_MIN_FREE_BYTES',
    default: undefined,
    defaultText: 'min(2 GiB, 5 % of the recordings volume)',
    description:
      'retention: free space to keep on the recordings volume. At start Argus logs what it keeps and warns (log line and a critical system alarm) when the settings cannot keep any recording: `minFreeBytes` not smaller than the volume or than its free space plus the recordings, or `maxRecordingsBytes` under 64 MiB',
  }),
  retentionIntervalMs: setting({ schema: count(), env: 'ARGUS_RETENTION_INTERVAL_MS', default: 5 * 60_000, description: 'how often retention runs, ms' }),
  freeSpaceCheckMs: setting({
    schema: count(),
    env: 'ARGUS_FREE_SPACE_CHECK_MS',
    default: 5_000,
    description: 'how often free space is checked, ms; retention runs at once when it is low',
  }),
  sessionIdleMs: setting({
    schema: count(),
    env: 'ARGUS_SESSION_IDLE_MS',
    default: 12 * 3600_000,
    description: 'a session ends after this long without requests, ms',
  }),
  sessionMaxMs: setting({
    schema: count(),
    env: 'ARGUS_SESSION_MAX_MS',
    default: 24 * 3600_000,
    description: 'a session ends this long after its sign-in however active it is (absolute timeout), ms',
  }),
  ffmpegPath: setting({ schema: text(), env: 'ARGUS_FFMPEG_PATH', default: 'ffmpeg', description: 'the ffmpeg binary' }),
  ffprobePath: setting({ schema: text(), env: 'ARGUS_FFPROBE_PATH', default: 'ffprobe', description: 'the ffprobe binary' }),
  ffmpegKillAfterS: setting({
    schema: s.int({ min: 0 }),
    env: 'ARGUS_FFMPEG_KILL_AFTER_S',
    default: 5,
    envOnly: true,
    description:
      "when the server dies, each ffmpeg's watchdog sends it SIGTERM and SIGKILL this many seconds later if it is still running (read by `media/bin/ffmpeg-supervised.sh`)",
  }),
  consoleDir: setting({
    schema: text(),
    env: 'ARGUS_CONSOLE_DIR',
    default: undefined,
    defaultText: '`dist/renderer`',
    description: 'the built console, served at `/` (default: in the Argus checkout; a set path is relative to the working directory)',
  }),
  onvifTimeoutMs: setting({
    schema: count(),
    env: 'ARGUS_ONVIF_TIMEOUT_MS',
    default: 5_000,
    onvif: true,
    description: 'deadline of one request to an ONVIF device, ms (a hanging device fails after this)',
  }),
  ptzControlIdleMs: setting({
    schema: count(),
    env: 'ARGUS_PTZ_CONTROL_IDLE_MS',
    default: 30_000,
    onvif: true,
    description: 'PTZ control is released after this long without a command from its holder, ms',
  }),
  ptzMoveTimeoutMs: setting({
    schema: count(),
    env: 'ARGUS_PTZ_MOVE_TIMEOUT_MS',
    default: 1_500,
    onvif: true,
    description: 'a continuous PTZ move stops this long after the last move command (lost release), ms',
  }),
  onvifHealthIntervalMs: setting({
    schema: count(),
    env: 'ARGUS_ONVIF_HEALTH_INTERVAL_MS',
    default: 30_000,
    onvif: true,
    description: 'how often each ONVIF device is checked (reachable, clock offset), ms',
  }),
  onvifClockToleranceMs: setting({
    schema: count(),
    env: 'ARGUS_ONVIF_CLOCK_TOLERANCE_MS',
    default: 5_000,
    onvif: true,
    description: 'a device clock further off than this is flagged in the console, ms',
  }),
  gpsRetentionDays: setting({
    schema: count(),
    env: 'ARGUS_GPS_RETENTION_DAYS',
    default: 365,
    description: 'GPS points are kept this many days (separate from video; 0 = forever)',
  }),
  mapTileUrl: setting({
    schema: text(),
    env: 'ARGUS_MAP_TILE_URL',
    default: 'local',
    description: 'map tiles: `local` (the MBTiles file below, served by Argus) or a `{z}/{x}/{y}` URL template',
  }),
  mapTileDatum: setting({
    schema: s.enum(['wgs84', 'gcj02'] as const),
    env: 'ARGUS_MAP_TILE_DATUM',
    default: 'wgs84',
    description: 'datum of the tile source: `wgs84`, or `gcj02` (positions are converted before drawing)',
  }),
  mbtilesFile: setting({
    schema: text(),
    env: 'ARGUS_MBTILES_FILE',
    default: 'map.mbtiles',
    description: 'the local MBTiles file, relative to the data directory',
  }),
  alarmMergeWindowMs: setting({
    schema: count(),
    env: 'ARGUS_ALARM_MERGE_WINDOW_MS',
    default: 60_000,
    description:
      'repeats of one source, alarm type and cause within this long (ms) merge into one alarm with a count, never into a less severe one (0: never; manual alarms never merge)',
  }),
  unitTelemetryTimeoutMs: setting({
    schema: count(),
    env: 'ARGUS_UNIT_TELEMETRY_TIMEOUT_MS',
    default: 60_000,
    description: "a unit's telemetry (GPS) link counts as up while its WebSocket is open or it sent anything within this long, ms",
  }),
  alarmEscalationCheckMs: setting({
    schema: count(),
    env: 'ARGUS_ALARM_ESCALATION_CHECK_MS',
    default: 1_000,
    description: 'how often unacknowledged alarms are checked for escalation, ms',
  }),
  alarmFeedKeepMs: setting({
    schema: count(),
    env: 'ARGUS_ALARM_FEED_KEEP_MS',
    default: 7 * 24 * 3600_000,
    description: 'how long alarm events are kept for consoles to replay after a reconnect, ms',
  }),
  playbackAuditIdleMs: setting({
    schema: count(),
    env: 'ARGUS_PLAYBACK_AUDIT_IDLE_MS',
    default: 60_000,
    description: "a playback viewing session is written to the audit log (`playback.view`) after this long without the viewer's requests, ms",
  }),
  logLevel: setting<'debug' | 'info' | 'warn' | 'error'>({
    schema: s.enum(['debug', 'info', 'warn', 'error'] as const),
    env: 'ARGUS_LOG_LEVEL',
    default: 'info',
    description: 'lowest level logged: `debug`, `info`, `warn` or `error` (terminal and log file)',
  }),
  logTerminal: setting<'pretty' | 'json' | 'off'>({
    schema: s.enum(['pretty', 'json', 'off'] as const),
    env: 'ARGUS_LOG_TERMINAL',
    default: 'pretty',
    description: "log lines on the terminal (stdout): `pretty` (time, level, component, message, fields), `json` (the log file's JSON lines) or `off`",
  }),
  logFileMaxBytes: setting({
    schema: s.int({ min: 1024 }),
    env: 'ARGUS_LOG_FILE_MAX_BYTES',
    default: 10 * 1024 * 1024,
    description: 'the JSON-lines log `<dataDir>/logs/argus.log` is rotated (to `argus.1.log`, `argus.2.log`, ...) before it grows past this size',
  }),
  logFilesKept: setting({
    schema: s.int({ min: 0, max: 100 }),
    env: 'ARGUS_LOG_FILES_KEPT',
    default: 5,
    description: 'rotated log files kept besides `argus.log` (the oldest is deleted)',
  }),
  secretsKeyFile: setting({
    schema: text(),
    env: 'ARGUS_SECRETS_KEY_FILE',
    default: 'secrets.key',
    description:
      'file holding the key (32 random bytes, base64) that encrypts camera and device passwords in the database, relative to the data directory; created (mode 0600) on first start; keep it apart from backups of the database (docs/security.md)',
  }),
  secretsKey: unsetSetting({
    schema: s.string({ minLength: 1 }),
    env: 'ARGUS_SECRETS_KEY',
    default: undefined,
    defaultText: 'unset: the key file is used',
    envOnly: true,
    secret: true,
    description:
      'the secrets key itself (32 bytes, base64) instead of `secretsKeyFile`, e.g. from a secret store; the key file is then neither read nor created',
  }),
  adminPassword: unsetSetting({
    // Only its form here; its strength is the password policy's (main/server/accounts/policy.ts), checked when it is used.
    schema: s.string({ minLength: 1 }),
    env: 'ARGUS_ADMIN_PASSWORD',
    default: undefined,
    defaultText: 'a random password, printed once',
    envOnly: true,
    secret: true,
    description:
      "the first administrator's password (first start only); it must meet the password policy (at least 10 characters, not containing `admin`, not a common password), else the start stops with the reason",
  }),
  // ---------- sign-in factors (issue 13 item 5; docs/design/accounts.md) ----------
  ...SIGNIN_SETTINGS,
  // ---------- GB/T 28181 (issue 14; docs/design/gb28181.md) ----------
  ...GB28181_SETTINGS,
} as const;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<D> = D extends SettingDecl<infer T> ? (D extends { unset: true } ? T | undefined : Exclude<T, undefined>) : never;

/** The value of every declared setting, after defaults, argus.json, environment and flags. */
export type Settings = { -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The declaration of `key`, untyped (for loops over every setting). */
export function declOf(key: SettingKey): SettingDecl<unknown> {
  return SETTINGS[key] as SettingDecl<unknown>;
}

/** ARGUS_PORT, ARGUS_BIND, ARGUS_MAX_RECORDINGS_BYTES ... : camelCase key → upper snake case. */
export function envName(key: string): string {
  return 'ARGUS_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}
