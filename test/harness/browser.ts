// Headless Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core, one fresh profile per launch.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.ARGUS_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface TestBrowser {
  browser: Browser;
  /** A new isolated context (own cookies and storage); closed with the browser. */
  newContext(opts?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Launches Chromium. Playwright's launch() gives every browser a fresh temporary user-data directory
 * (playwright_chromiumdev_profile-*) and deletes it on close, so no state leaks between runs.
 */
export async function launchBrowser(opts: { trustSpki?: readonly string[] } = {}): Promise<TestBrowser> {
  // An HTTPS server's certificate is trusted by its public key's SHA-256 (base64), never by ignoring every certificate error.
  const trust = opts.trustSpki?.length ? [`--ignore-certificate-errors-spki-list=${opts.trustSpki.join(',')}`] : [];
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...trust], timeout: 30_000 });
  let closed = false;
  return {
    browser,
    newContext: (opts) => browser.newContext(opts),
    async close() {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => undefined);
    },
  };
}

/** Opens the console at `url` in `page` and signs in (English UI); resolves when the console is shown. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.console').waitFor();
}

/** From the signed-in console: Admin → Audit log. */
export async function openAuditLog(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Admin' }).click();
  await page.locator('.sub-nav-item', { hasText: 'Audit log' }).click();
}

export interface ConsolePage {
  /** The browser launched for this page, or the one passed in. */
  browser: TestBrowser;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page (stack or message). */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium (or uses `browser`), opens a page in a fresh context (English, UTC, 1280x800 unless given) with
 * `defaultTimeoutMs` (20 s), records page errors, and signs in at `url` when `user` is given. close() closes the
 * browser it launched, or only the context when `browser` was given.
 */
export async function openConsole(
  url: string,
  opts: {
    user?: { username: string; password: string };
    /** A browser to open the page in (a TestBrowser or playwright's Browser); by default one is launched. */
    browser?: TestBrowser | Browser;
    /** The console's language (stored as the user's choice before the page loads; the context's locale follows it). */
    lang?: 'en' | 'zh-CN';
    context?: BrowserContextOptions;
    /** Abort every request that leaves 127.0.0.1 (the default map tiles are an internet URL). */
    localOnly?: boolean;
    /** Called with the new context before the page opens (routes, init scripts). */
    prepareContext?: (context: BrowserContext) => Promise<unknown> | void;
    defaultTimeoutMs?: number;
    /** An HTTPS server's SPKI SHA-256 (base64) to trust in the browser launched here (not with `browser`: launch it with launchBrowser({ trustSpki })). */
    trustSpki?: string;
  } = {},
): Promise<ConsolePage> {
  const browser = (opts.browser as TestBrowser | undefined) ?? (await launchBrowser({ trustSpki: opts.trustSpki ? [opts.trustSpki] : undefined }));
  try {
    const locale = opts.lang === 'zh-CN' ? 'zh-CN' : 'en-US';
    const context = await browser.newContext({ locale, timezoneId: 'UTC', viewport: { width: 1280, height: 800 }, ...opts.context });
    if (opts.localOnly) await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    if (opts.lang) await context.addInitScript((l) => localStorage.setItem('argus.lang', l), opts.lang);
    if (opts.prepareContext) await opts.prepareContext(context);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
    page.setDefaultTimeout(opts.defaultTimeoutMs ?? 20_000);
    if (opts.user) {
      // By field name, not label: works in every language.
      await page.goto(url);
      await page.locator('input[name=username]').fill(opts.user.username);
      await page.locator('input[name=password]').fill(opts.user.password);
      await page.locator('button[type=submit]').click();
      await page.locator('.console').waitFor();
    }
    return { browser, context, page, pageErrors, close: () => (opts.browser ? context.close() : browser.close()) };
  } catch (e) {
    if (!opts.browser) await browser.close();
    throw e;
  }
}
