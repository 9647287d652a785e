// Old path of the Chromium helpers: they now live in test/harness/browser.ts (openConsole there signs in a fresh page).
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser, openAuditLog, signIn, type TestBrowser } from '../harness/browser';
