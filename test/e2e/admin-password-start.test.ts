// End to end: the real server process refuses to start with a weak ARGUS_ADMIN_PASSWORD, says why on stderr, exits 1 and creates no admin.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../storage/sqlite/index';
import { freePort } from '../helpers/net';
import { tempDir } from './investigation-server';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Runs `cli.ts` until it exits (killed after 60 s); returns its exit code and everything it printed. */
async function runServer(dataDir: string, adminPassword: string): Promise<{ code: number | null; out: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/server/cli.ts'), '--data-dir', dataDir, '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, ARGUS_ADMIN_PASSWORD: adminPassword, ARGUS_RTMP_PORT: '0', ARGUS_SIP_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const kill = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
  clearTimeout(kill);
  return { code, out };
}

describe('ARGUS_ADMIN_PASSWORD and the password policy at the first start (real server process)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it.each([
    ['admin-2026!', 'password.contains_username'],
    ['qwertyuiop', 'password.common'],
  ])(
    'refuses %s (%s): a clear line on stderr, exit code 1, no admin created',
    async (pw, code) => {
      const dir = tempDir('admin-pw-start');
      dirs.push(dir);
      const r = await runServer(dir, pw);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`[argus] cannot start: ARGUS_ADMIN_PASSWORD is refused by the password policy (${code})`);
      expect(r.out).not.toContain('listening on http');
      const store = await openSqliteStore(path.join(dir, 'argus.db'));
      try {
        expect(await store.users.count()).toBe(0);
      } finally {
        await store.close();
      }
    },
    90_000,
  );
});
