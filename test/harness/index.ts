// The test harness (issue 17 item 10): one server builder, the typed API client, one waitFor, and the Chromium console.
export { startServer, DEFAULT_ADMIN_PASSWORD, SEED_PASSWORD, type ServerOptions, type SeedUser, type TestServer } from './server';
export { ApiClient, UnexpectedStatus, type ApiAnswer, type CallOptions } from './client';
export { waitFor, WaitTimeout, type WaitOptions } from './wait';
export { launchBrowser, openConsole, openAuditLog, signIn, CHROMIUM_ARGS, CHROMIUM_PATH, type ConsolePage, type TestBrowser } from './browser';
export { ADMIN_PASSWORD, startServerProcess, type ServerProcess } from './process';
// The HTTP app alone with fake recording/unit services (main/server's own tests use it from there: main/ does not import test/).
export { startTestServer as startAppServer, FakeRecording, FakeUnits, type TestServer as AppTestServer } from '../../main/server/test-support';
