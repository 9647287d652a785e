// The server logger: levels, child bindings, rotation at the size limit, redaction of every secret shape, pretty vs JSON lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asLog, isLog } from '../../common/log';
import { RotatingFile } from './log-file';
import { createLogger, logDirOf, type LoggerOptions, type RootLog } from './logger';
import { redactText } from './redact';

const tmps: string[] = [];
const roots: RootLog[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) r.close();
  for (const d of tmps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-log-'));
  tmps.push(d);
  return d;
}

/** A logger whose terminal output is captured: `out` (stdout) and `err` (stderr) lines. */
function captured(opts: LoggerOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const log = createLogger({
    terminal: 'json',
    ...opts,
    stdout: { write: (s: string) => out.push(...s.split('\n').filter(Boolean)) },
    stderr: { write: (s: string) => err.push(...s.split('\n').filter(Boolean)) },
  });
  roots.push(log);
  const records = () => [...out, ...err].map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, out, err, records };
}

describe('levels', () => {
  it('writes lines at or above the level; calling the logger logs at info', () => {
    const c = captured({ level: 'warn' });
    c.log.debug('d');
    c.log.info('i');
    c.log('called');
    c.log.warn('w');
    c.log.error('e');
    expect(c.records().map((r) => [r.level, r.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
    const all = captured({ level: 'debug' });
    all.log.debug('d');
    all.log('called');
    expect(all.records().map((r) => [r.level, r.msg])).toEqual([
      ['debug', 'd'],
      ['info', 'called'],
    ]);
  });
});

describe('children', () => {
  it('names the component and carries bound fields; a nested name replaces the parent one', () => {
    const c = captured();
    const rec = c.log.child('recording').child({ component: 'recorder', cameraId: 3 });
    rec.info('segment closed', { durationMs: 60_000 });
    c.log.child('units').child('onvif')('x');
    const [a, b] = c.records();
    expect(a).toMatchObject({ level: 'info', component: 'recorder', cameraId: 3, durationMs: 60_000, msg: 'segment closed' });
    expect(typeof a.time).toBe('string');
    expect(b.component).toBe('onvif');
    expect(c.out[1].match(/"component"/g)).toHaveLength(1);
  });

  it('is a Log that plain line functions can stand in for (asLog)', () => {
    const lines: string[] = [];
    const l = asLog((m) => lines.push(m), 'units');
    expect(isLog(l)).toBe(true);
    expect(isLog((m: string) => m)).toBe(false);
    l('a');
    l.warn('b', { unitId: 4 });
    l.child({ cameraId: 2 }).error('[recorder cam 2] c');
    expect(lines).toEqual(['[units] a', 'WARN [units] b unitId=4', 'ERROR [recorder cam 2] c cameraId=2']);
  });
});

describe('pretty and JSON terminal lines', () => {
  it('pretty: time, level, [component], message and fields; warnings and errors on stderr', () => {
    const c = captured({ terminal: 'pretty' });
    c.log.child('units').warn('publish refused', { unitId: 3, reason: 'bad key' });
    c.log.child('http').info('listening');
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z WARN {2}\[units\] publish refused unitId=3 reason="bad key"$/);
    expect(c.out[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z INFO {2}\[http\] listening$/);
    // A message with its own [prefix] is not prefixed again.
    c.log.child('recording')('[recorder cam 3] started');
    expect(c.out[1]).toMatch(/INFO {2}\[recorder cam 3\] started$/);
  });

  it('json: one JSON object per line with time, level, component and msg; off: nothing', () => {
    const c = captured({ terminal: 'json' });
    c.log.child('hub').error('listener error', { err: new Error('EADDRINUSE') });
    const r = JSON.parse(c.err[0]) as Record<string, unknown>;
    expect(r).toMatchObject({ level: 'error', component: 'hub', msg: 'listener error', err: { type: 'Error', message: 'EADDRINUSE' } });
    const off = captured({ terminal: 'off' });
    off.log.error('x');
    expect([...off.out, ...off.err]).toEqual([]);
  });

  it('sink: the terminal wording without time; announce reaches the sink but never the file', () => {
    const dir = tmpDir();
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l), dataDir: dir });
    roots.push(log);
    log.child('argus')('recovery: 0 partial segments closed');
    log.announce('the generated password: Zq9-first-start');
    log.close();
    expect(lines).toEqual(['[argus] recovery: 0 partial segments closed', 'the generated password: Zq9-first-start']);
    const file = fs.readFileSync(path.join(logDirOf(dir), 'argus.log'), 'utf8');
    expect(file).toContain('recovery: 0 partial');
    expect(file).not.toContain('Zq9-first-start');
  });
});

describe('the log file', () => {
  it('gets every line as JSON in <dataDir>/logs/argus.log', () => {
    const dir = tmpDir();
    const c = captured({ dataDir: dir, terminal: 'off' });
    c.log.child('storage').info('applied migration(s) 1', { file: 'argus.db' });
    const text = fs.readFileSync(path.join(dir, 'logs', 'argus.log'), 'utf8');
    expect(JSON.parse(text.trim())).toMatchObject({ level: 'info', component: 'storage', msg: 'applied migration(s) 1', file: 'argus.db' });
  });

  it('rotates before the size limit and keeps N older files', () => {
    const dir = tmpDir();
    const c = captured({ dataDir: dir, terminal: 'off', file: { maxBytes: 2048, keep: 2 } });
    for (let i = 0; i < 200; i++) c.log.info(`line ${i} ${'x'.repeat(60)}`, { i });
    const logs = logDirOf(dir);
    expect(fs.readdirSync(logs).sort()).toEqual(['argus.1.log', 'argus.2.log', 'argus.log']);
    const read = (f: string) =>
      fs
        .readFileSync(path.join(logs, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { i: number });
    for (const f of ['argus.log', 'argus.1.log', 'argus.2.log']) {
      expect(fs.statSync(path.join(logs, f)).size).toBeLessThanOrEqual(2048);
      expect(read(f).length).toBeGreaterThan(0);
    }
    // Oldest to newest, without gap, ending at the last line.
    const seq = [...read('argus.2.log'), ...read('argus.1.log'), ...read('argus.log')].map((r) => r.i);
    expect(seq[seq.length - 1]).toBe(199);
    expect(seq).toEqual(seq.map((_, k) => seq[0] + k));
  });

  it('keep 0 starts the one file again; a new writer appends to the existing file', () => {
    const dir = tmpDir();
    const f = new RotatingFile({ dir, maxBytes: 100, keep: 0 });
    for (let i = 0; i < 5; i++) f.write(`{"n":${i},"pad":"${'y'.repeat(30)}"}\n`);
    f.close();
    expect(fs.readdirSync(dir)).toEqual(['argus.log']);
    const g = new RotatingFile({ dir, maxBytes: 1000, keep: 0 });
    g.write('{"n":5}\n');
    g.close();
    expect(
      fs
        .readFileSync(path.join(dir, 'argus.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { n: number }).n),
    ).toEqual([4, 5]);
  });
});

describe('redaction', () => {
  const SHAPES: Array<[string, string, string]> = [
    ['RTSP credentials', 'opening rtsp://admin:cam-pass-1@10.0.0.5:554/h264', 'cam-pass-1'],
    ['user without password', 'GET rtsp://onlyuser-77@10.0.0.5/x', 'onlyuser-77'],
    ['raw @ in a password', 'opening rtsp://admin:p@ss-w0rd-x@10.0.0.5/x', 'ss-w0rd-x'],
    ['stream key', 'publish rtmp://hub:1935/live/3?key=Sk3yStr3am', 'Sk3yStr3am'],
    ['token', '/api/v1/tiles/1/2/3.png?x=1&token=T0kenValue', 'T0kenValue'],
    ['ticket', 'open ticket=TiCk3t-abc', 'TiCk3t-abc'],
    ['live ticket signature', '/api/v1/live/flv/3.flv?stream=main&u=1&exp=2&sig=S1gnature_x', 'S1gnature_x'],
    ['internal hub secret', 'rtmp://127.0.0.1:1935/cam/3?secret=InT3rnal-s', 'InT3rnal-s'],
    ['password parameter', 'login password=Pa55word&user=a', 'Pa55word'],
    ['sign', 'callback?sign=Sig-n-9', 'Sig-n-9'],
    ['JSON password', 'body {"username":"a","password":"Js0nPass"}', 'Js0nPass'],
    ['JSON-ish single quotes', "config { password: 'Sq-pass-2' }", 'Sq-pass-2'],
    ['Authorization header', 'headers Authorization: Bearer abcdefABCDEF0123456789', 'abcdefABCDEF0123456789'],
    ['Basic credentials', 'authorization=Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
  ];

  it.each(SHAPES)('%s in the message', (_what, text, secret) => {
    expect(redactText(text)).not.toContain(secret);
    expect(redactText(text)).toContain('***');
    const dir = tmpDir();
    const c = captured({ dataDir: dir, terminal: 'pretty' });
    c.log.child('x').warn(text);
    c.log.child('x').info('field', { detail: text, err: new Error(text) });
    expect([...c.out, ...c.err].join('\n')).not.toContain(secret);
    expect(fs.readFileSync(path.join(dir, 'logs', 'argus.log'), 'utf8')).not.toContain(secret);
  });

  it('censors fields named like secrets at any depth, and in child bindings', () => {
    const c = captured();
    const secrets = {
      password: 'f-pass',
      token: 'f-token',
      streamKey: 'f-key',
      key: 'f-key2',
      ticket: 'f-ticket',
      secret: 'f-secret',
      authorization: 'Bearer f-auth',
    };
    c.log.child({ component: 'units', secret: 'b-secret' }).info('fields', { ...secrets, nested: { ...secrets, list: [{ password: 'f-deep' }] } });
    const line = c.out.join('\n');
    for (const v of [...Object.values(secrets), 'f-deep', 'b-secret']) expect(line).not.toContain(v);
    expect(JSON.parse(line)).toMatchObject({ password: '***', streamKey: '***', nested: { token: '***', list: [{ password: '***' }] } });
  });

  it('leaves ordinary text alone', () => {
    const t = 'publish /live/7 from 127.0.0.1 refused: bad key; unit 3 telemetry up (keys: 2)';
    expect(redactText(t)).toBe(t);
  });
});
