// Headless Chromium: an investigator turns two-step sign-in on from the account menu, signs out, and signs in with a TOTP code on the login page.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsole, startServer, type ConsolePage, type TestServer } from '../harness';

const PW = 'amber-lantern-64';
const codeIn = (secret: string, offsetS = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetS });

describe('two-step sign-in in the console', () => {
  let srv: TestServer;
  let ui: ConsolePage | null = null;
  beforeAll(async () => {
    srv = await startServer({ tag: 'factors-console', console: true, users: [{ username: 'ines', role: 'investigator', password: PW }] });
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await srv?.close();
  });

  it('enrols through the dialog (QR code, first code, recovery codes) and signs in with password then code', async () => {
    ui = await openConsole(srv.url, { user: { username: 'ines', password: PW }, localOnly: true });
    const { page } = ui;
    await page.getByRole('button', { name: 'User menu for ines' }).click();
    await page.getByRole('menuitem', { name: 'Two-step sign-in' }).click();
    await page.getByRole('button', { name: 'Set up' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect.poll(() => page.locator('.totp-qr img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await page.getByLabel('Code').fill(await codeIn(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await page.getByRole('button', { name: 'Done' }).click();
    expect((await srv.backend.store.factors.totp((await srv.backend.store.users.getByUsername('ines'))!.id))?.enabledMs).not.toBeNull();

    await page.getByRole('button', { name: 'User menu for ines' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.locator('input[name=username]').fill('ines');
    await page.locator('input[name=password]').fill(PW);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
    await page.locator('input[name=code]').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('The code is wrong, expired or already used.').waitFor();
    expect(await page.locator('.console').count()).toBe(0);
    // The enrolment's code is used; the next step's is within the window.
    await page.locator('input[name=code]').fill(await codeIn(secret, 30));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('.console').waitFor();
    expect(ui.pageErrors).toEqual([]);
  });
});
