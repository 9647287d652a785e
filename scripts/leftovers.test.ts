// check-leftovers finds what a test left running: gpsd orphaned by a killed gpsfake (the leak seen in CI) and an ffmpeg with its watchdog.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/helpers/net';
import { waitFor } from '../test/helpers/media-assert';
import { findLeftovers } from './leftovers';

const ROOT = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-leftovers-'));
const groups: number[] = [];

const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const childrenOf = (pid: number) =>
  fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => {
      try {
        return Number(/^\d+ \(.*\) \S+ (\d+)/.exec(fs.readFileSync(`/proc/${p}/stat`, 'utf8'))![1]) === pid;
      } catch {
        return false;
      }
    });

afterAll(() => {
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // gone
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('check-leftovers', () => {
  it('names the gpsd that a SIGKILLed gpsfake leaves running, and no longer once it is stopped', async () => {
    const log = path.join(tmp, 'fix.nmea');
    fs.writeFileSync(log, '$GPRMC,120000.00,A,3954.0000,N,11624.0000,E,0.0,0.0,061226,,,A*6B\n');
    const fake = spawn('gpsfake', ['-q', '-1', '-W', '60', '-c', '0.5', '-P', String(await freePort()), log], { detached: true, stdio: 'ignore' });
    groups.push(fake.pid!);
    const gpsd = await waitFor(
      () => childrenOf(fake.pid!).find((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('gpsd')),
      'gpsfake to start gpsd',
      20_000,
    );
    // What the old test did: SIGKILL to gpsfake alone, which never runs its cleanup.
    process.kill(fake.pid!, 'SIGKILL');
    await waitFor(() => !alive(fake.pid!), 'gpsfake to die');
    expect(alive(gpsd)).toBe(true);
    expect(findLeftovers().find((l) => l.pid === gpsd)).toMatchObject({ kind: 'gpsd' });

    process.kill(-fake.pid!, 'SIGKILL');
    await waitFor(() => !alive(gpsd), 'gpsd to die with its group');
    expect(findLeftovers().some((l) => l.pid === gpsd)).toBe(false);
  }, 60_000);

  it('names a recorder ffmpeg and its watchdog', async () => {
    const p = spawn(
      path.join(ROOT, 'media/bin/ffmpeg-supervised.sh'),
      ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-f', 'null', '-'],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    groups.push(p.pid!);
    const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
    const ff = await waitFor(() => childrenOf(p.pid!)[0], 'the watchdog to start ffmpeg', 15_000);
    const found = findLeftovers();
    expect(found.find((l) => l.pid === p.pid)).toMatchObject({ kind: 'ffmpeg watchdog' });
    expect(found.find((l) => l.pid === ff)).toMatchObject({ kind: 'ffmpeg' });
    p.stdin!.write('q'); // the recorder's graceful stop reaches ffmpeg through the watchdog
    expect(await exited).toBe(0);
    expect(findLeftovers().some((l) => l.pid === p.pid || l.pid === ff)).toBe(false);
  }, 30_000);
});
