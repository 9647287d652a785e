// npm start's Electron attempt: one download try, the failure remembered on disk (time and reason), headless at once
// afterwards without touching the network, an explicit retry, and success forgetting the failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronOrHeadless, readFailure, RETRY_FLAG, type AttemptDeps } from './electron-attempt';

describe('electronOrHeadless', () => {
  let dir: string;
  let marker: string;
  let downloads: number;
  let nowMs: number;
  let installed: string | null;
  let logs: string[];
  const deps = (over: Partial<AttemptDeps> = {}): AttemptDeps => ({
    markerFile: marker,
    env: {},
    args: ['--port', '8080'],
    now: () => nowMs,
    binary: () => installed,
    installerExists: true,
    // An isolated network: the installer cannot reach its download host.
    download: () => {
      downloads++;
      return { ok: false, message: 'RequestError: getaddrinfo ENOTFOUND' };
    },
    log: (m) => logs.push(m),
    ...over,
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-electron-attempt-'));
    marker = path.join(dir, 'node_modules', '.cache', 'argus', 'electron-download.json');
    downloads = 0;
    nowMs = Date.UTC(2026, 11, 6, 20, 0, 0);
    installed = null;
    logs = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('tries the download once, remembers the failure with its time, and goes headless at once on later starts', () => {
    const first = electronOrHeadless(deps());
    expect(first).toEqual({ electron: null, headlessBecause: 'download-failed', args: ['--port', '8080'] });
    expect(downloads).toBe(1);
    expect(readFailure(marker)).toEqual({ atMs: nowMs, reason: 'RequestError: getaddrinfo ENOTFOUND' });
    for (let i = 0; i < 3; i++) {
      nowMs += 86_400_000;
      expect(electronOrHeadless(deps()).headlessBecause).toBe('remembered-failure');
    }
    expect(downloads).toBe(1);
    expect(logs.at(-1)).toContain('2026-12-06T20:00:00.000Z');
    expect(logs.at(-1)).toContain(RETRY_FLAG);
  });

  it('tries again when asked (flag or environment), and a success forgets the failure', () => {
    electronOrHeadless(deps());
    const again = electronOrHeadless(deps({ args: [RETRY_FLAG, '--port', '8080'] }));
    expect(again.headlessBecause).toBe('download-failed');
    expect(again.args).toEqual(['--port', '8080']);
    expect(downloads).toBe(2);
    expect(readFailure(marker)?.atMs).toBe(nowMs);
    const ok = electronOrHeadless(
      deps({
        env: { ARGUS_RETRY_ELECTRON: '1' },
        download: () => {
          downloads++;
          installed = '/opt/electron/electron';
          return { ok: true, message: '' };
        },
      }),
    );
    expect(ok).toEqual({ electron: '/opt/electron/electron', headlessBecause: null, args: ['--port', '8080'] });
    expect(downloads).toBe(3);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('never downloads when the binary is there, when told to run headless, in CI, or without the installer', () => {
    installed = '/opt/electron/electron';
    expect(electronOrHeadless(deps()).electron).toBe('/opt/electron/electron');
    installed = null;
    expect(electronOrHeadless(deps({ env: { ARGUS_HEADLESS: '1' } })).headlessBecause).toBe('env');
    expect(electronOrHeadless(deps({ env: { CI: 'true' } })).headlessBecause).toBe('env');
    expect(electronOrHeadless(deps({ installerExists: false })).headlessBecause).toBe('no-installer');
    expect(downloads).toBe(0);
  });

  it('a download that "succeeds" without leaving a binary counts as a failure; a corrupt marker means not remembered', () => {
    const r = electronOrHeadless(deps({ download: () => (downloads++, { ok: true, message: '' }) }));
    expect(r.headlessBecause).toBe('download-failed');
    expect(readFailure(marker)?.reason).toContain('still missing');
    fs.writeFileSync(marker, 'not json');
    expect(electronOrHeadless(deps()).headlessBecause).toBe('download-failed');
    expect(downloads).toBe(2);
  });
});
