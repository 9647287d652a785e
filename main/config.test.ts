// Tests the settings declarations as loaded: defaults, precedence, validation errors naming setting and source, secrets, a refused start.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ConfigError, dataDirFrom, effectiveSettingsLine, envName, loadConfig, SETTING_KEYS, SETTINGS } from './config';

const ROOT = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
function dataDir(file?: unknown): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-config-'));
  dirs.push(d);
  if (file !== undefined) fs.writeFileSync(path.join(d, 'argus.json'), typeof file === 'string' ? file : JSON.stringify(file));
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('settings', () => {
  test('defaults are those of the previous release', () => {
    const dir = dataDir();
    const c = loadConfig({ dataDir: dir, env: {} });
    expect(c).toMatchObject({
      bind: '127.0.0.1',
      port: 8640,
      rtmpPort: 1935,
      rtmpBind: '127.0.0.1',
      publicHost: '127.0.0.1',
      segmentSeconds: 60,
      sessionIdleMs: 12 * 3600_000,
      sessionMaxMs: 24 * 3600_000,
      maxRecordingsBytes: 0,
      retentionIntervalMs: 300_000,
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
      playbackAuditIdleMs: 60_000,
      ffmpegKillAfterS: 5,
      adminPassword: undefined,
      dataDir: dir,
      recordingsDir: path.join(dir, 'recordings'),
      dbFile: path.join(dir, 'argus.db'),
      mbtilesFile: path.join(dir, 'map.mbtiles'),
      consoleDir: path.join(ROOT, 'dist', 'renderer'),
      minFreeBytesFrom: 'auto',
      origins: {},
    });
    expect(c.minFreeBytes).toBeGreaterThan(0);
  });

  test('argus.json, then the environment, then flags; each value says where it came from', () => {
    const dir = dataDir({ port: 9000, bind: '0.0.0.0', segmentSeconds: 10, mapTileDatum: 'gcj02', recordingsDir: 'rec' });
    const c = loadConfig({ dataDir: dir, env: { ARGUS_PORT: '9100', ARGUS_SEGMENT_SECONDS: '', ARGUS_MIN_FREE_BYTES: '1024' }, overrides: { port: 9200 } });
    expect(c).toMatchObject({ port: 9200, bind: '0.0.0.0', rtmpBind: '0.0.0.0', publicHost: os.hostname(), segmentSeconds: 10, mapTileDatum: 'gcj02' });
    expect(c.recordingsDir).toBe(path.join(dir, 'rec'));
    expect(c).toMatchObject({ minFreeBytes: 1024, minFreeBytesFrom: 'set' });
    expect(c.origins).toEqual({
      port: 'command line',
      bind: 'argus.json',
      segmentSeconds: 'argus.json',
      mapTileDatum: 'argus.json',
      recordingsDir: 'argus.json',
      minFreeBytes: 'environment',
    });
    expect(loadConfig({ dataDir: dir, env: { ARGUS_PORT: '9100' } }).port).toBe(9100);
  });

  test('list settings (roles, the directory group mapping) are JSON in the environment; a bad one is refused naming the variable', () => {
    const dir = dataDir();
    const env = {
      ARGUS_TOTP_REQUIRED_ROLES: '["admin"]',
      ARGUS_LDAP_GROUP_ROLES: '[{"group":"cn=ops,dc=x","role":"dispatcher"}]',
      ARGUS_LDAP_BIND_PASSWORD: 'bind-secret-1',
    };
    const c = loadConfig({ dataDir: dir, env });
    expect(c.totpRequiredRoles).toEqual(['admin']);
    expect(c.ldapGroupRoles).toEqual([{ group: 'cn=ops,dc=x', role: 'dispatcher' }]);
    expect(effectiveSettingsLine(c)).not.toContain('bind-secret-1');
    expect(errorOf(() => loadConfig({ dataDir: dir, env: { ARGUS_TOTP_REQUIRED_ROLES: '["chief"]' } }))).toMatch(/ARGUS_TOTP_REQUIRED_ROLES \(environment\)/);
    expect(errorOf(() => loadConfig({ dataDir: dir, env: { ARGUS_LDAP_GROUP_ROLES: 'not json' } }))).toMatch(/ARGUS_LDAP_GROUP_ROLES/);
    expect(errorOf(() => loadConfig({ dataDir: dir, env: { ARGUS_LDAP_URL: 'http://x' } }))).toMatch(/ARGUS_LDAP_URL/);
  });

  test('a bad value in argus.json names the file, the setting and the value', () => {
    expect(errorOf(() => loadConfig({ dataDir: dataDir({ port: 70000 }), env: {} }))).toMatch(/argus\.json: "port": must be at most 65535, got 70000$/);
    expect(errorOf(() => loadConfig({ dataDir: dataDir({ segmentSeconds: '60' }), env: {} }))).toMatch(/"segmentSeconds": must be a number, got "60"$/);
    expect(errorOf(() => loadConfig({ dataDir: dataDir({ bind: '' }), env: {} }))).toMatch(/"bind": must not be empty/);
    expect(errorOf(() => loadConfig({ dataDir: dataDir({ mapTileDatum: 'bd09' }), env: {} }))).toMatch(
      /"mapTileDatum": must be one of: wgs84, gcj02, got "bd09"$/,
    );
    expect(errorOf(() => loadConfig({ dataDir: dataDir({ prot: 1 }), env: {} }))).toMatch(/argus\.json: unknown setting "prot"$/);
    expect(errorOf(() => loadConfig({ dataDir: dataDir({ adminPassword: 'long-enough-1' }), env: {} }))).toMatch(
      /"adminPassword" cannot be set in argus\.json, only in the environment \(ARGUS_ADMIN_PASSWORD\)/,
    );
    expect(errorOf(() => loadConfig({ dataDir: dataDir('{ "port": '), env: {} }))).toMatch(/argus\.json: not valid JSON/);
    expect(errorOf(() => loadConfig({ dataDir: dataDir('[]'), env: {} }))).toMatch(/argus\.json: must be a JSON object/);
  });

  test('a bad environment variable or flag is named with its source', () => {
    const dir = dataDir();
    expect(errorOf(() => loadConfig({ dataDir: dir, env: { ARGUS_PORT: 'http' } }))).toBe('ARGUS_PORT (environment): must be a number, got "http"');
    expect(errorOf(() => loadConfig({ dataDir: dir, env: { ARGUS_RTMP_PORT: '19.5' } }))).toBe(
      'ARGUS_RTMP_PORT (environment): must be a whole number, got "19.5"',
    );
    expect(errorOf(() => loadConfig({ dataDir: dir, env: { ARGUS_RETENTION_INTERVAL_MS: '-1' } }))).toBe(
      'ARGUS_RETENTION_INTERVAL_MS (environment): must be at least 0, got "-1"',
    );
    expect(errorOf(() => loadConfig({ dataDir: dir, env: { ARGUS_FFMPEG_KILL_AFTER_S: '2.5' } }))).toMatch(
      /^ARGUS_FFMPEG_KILL_AFTER_S \(environment\): must be a whole number/,
    );
    expect(errorOf(() => loadConfig({ dataDir: dir, env: {}, overrides: { port: NaN } }))).toBe('--port (command line): must be a number, got NaN');
    expect(errorOf(() => loadConfig({ dataDir: dir, env: {}, overrides: { gpsRetentionDays: -3 } }))).toBe(
      'gpsRetentionDays (override): must be at least 0, got -3',
    );
    expect(errorOf(() => dataDirFrom('', {}))).toMatch(/^--data-dir \(command line\): must not be empty/);
  });

  test('the data directory: --data-dir, else ARGUS_DATA_DIR, else ./data', () => {
    expect(dataDirFrom('/srv/a', { ARGUS_DATA_DIR: '/srv/b' })).toBe('/srv/a');
    expect(dataDirFrom(undefined, { ARGUS_DATA_DIR: '/srv/b' })).toBe('/srv/b');
    expect(dataDirFrom(undefined, {})).toBe(path.resolve('data'));
  });

  test('a secret is validated without being echoed and shows in the settings line only as set', () => {
    const dir = dataDir();
    const bad = errorOf(() => loadConfig({ dataDir: dir, env: { ARGUS_ADMIN_PASSWORD: 'hunter2\u0007bell' } }));
    expect(bad).toBe('ARGUS_ADMIN_PASSWORD (environment): must not contain control characters');
    expect(bad).not.toContain('hunter2');
    const c = loadConfig({ dataDir: dir, env: { ARGUS_ADMIN_PASSWORD: 'Correct-Horse-9', ARGUS_PORT: '9300' } });
    expect(c.adminPassword).toBe('Correct-Horse-9');
    const line = effectiveSettingsLine(c);
    expect(line).not.toContain('Correct-Horse-9');
    expect(line).toContain('adminPassword=(set, environment)');
    expect(line).toContain('port=9300 (environment)');
    expect(line).toContain('bind=127.0.0.1,');
    expect(line).toMatch(/minFreeBytes=\d+ \(auto\)/);
    expect(effectiveSettingsLine(loadConfig({ dataDir: dir, env: {} }))).not.toContain('adminPassword');
  });

  test('every declaration names its environment variable by the ARGUS_ rule and has a description', () => {
    for (const key of SETTING_KEYS) {
      expect(SETTINGS[key].env, key).toBe(envName(key));
      expect(SETTINGS[key].description.length, key).toBeGreaterThan(10);
    }
  });
});

describe('the server refuses to start on a bad setting', () => {
  const run = (dir: string, env: Record<string, string>, args: string[] = []) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/server/cli.ts'), '--data-dir', dir, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  test('a bad environment variable', () => {
    const r = run(dataDir(), { ARGUS_SEGMENT_SECONDS: 'sixty' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[argus] cannot start: ARGUS_SEGMENT_SECONDS (environment): must be a number, got "sixty"');
  });

  test('a bad argus.json value, a bad flag', () => {
    const dir = dataDir({ alarmFeedKeepMs: 'a week' });
    const r = run(dir, {});
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`[argus] cannot start: ${path.join(dir, 'argus.json')}: "alarmFeedKeepMs": must be a number, got "a week"`);
    const f = run(dataDir(), {}, ['--port', '80x']);
    expect(f.status).toBe(1);
    expect(f.stderr).toContain('[argus] cannot start: --port (command line): must be a number');
  });
});
