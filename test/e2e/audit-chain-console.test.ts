// Admin → Audit log in headless Chromium: the chain's state (intact, then broken at the entry edited with the sqlite3 CLI while the server runs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SitePublicKey } from '../../common/audit-chain';
import { openAuditLog, openConsole, startServer, type ConsolePage, type TestServer } from '../harness';

describe('console: audit chain state for admins', () => {
  let srv: TestServer;
  let ui: ConsolePage;

  beforeAll(async () => {
    srv = await startServer({ tag: 'audit-chain-console', console: true });
    ui = await openConsole(srv.url, { user: { username: 'admin', password: srv.adminPassword } });
  }, 180_000);

  afterAll(async () => {
    await ui?.close();
    await srv?.close();
  });

  it('shows the chain intact with the site key fingerprint, then names the entry edited in the database', async () => {
    const { page } = ui;
    await openAuditLog(page);
    const state = page.locator('.audit-chain');
    await state.locator('.audit-chain-verdict').waitFor();
    await expect(state.getAttribute('data-chain')).resolves.toBe('ok');
    expect(await state.innerText()).toMatch(/Chain intact: all \d+ entries verified/);
    const key = await srv.client.ok<SitePublicKey>('GET', '/api/v1/site-key');
    expect((await state.locator('.audit-chain-fingerprint').innerText()).replace(/\s/g, '')).toBe(key.fingerprint);

    // Someone edits the first login entry in the live database, triggers dropped.
    const id = Number(
      spawnSync('/usr/bin/sqlite3', [path.join(srv.dataDir, 'argus.db')], {
        input: "SELECT min(id) FROM audit_log WHERE action = 'auth.login';",
        encoding: 'utf8',
      }).stdout,
    );
    expect(id).toBeGreaterThan(0);
    const edit = spawnSync('/usr/bin/sqlite3', ['-cmd', '.timeout 10000', path.join(srv.dataDir, 'argus.db')], {
      input: `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET ip = '10.66.66.66' WHERE id = ${id};`,
      encoding: 'utf8',
    });
    expect(edit.status, edit.stderr).toBe(0);
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.locator('.audit-chain[data-chain="broken"]').waitFor();
    expect(await state.innerText()).toContain(`Chain broken at entry #${id}`);
    expect(await state.innerText()).toContain(`Entry #${id} was changed after it was written.`);
    expect(ui.pageErrors).toEqual([]);
  }, 120_000);
});
