// Old path of the server-process harness: it now lives in test/harness/process.ts (use startServer({ mode: 'process' }) from test/harness).
export { ADMIN_PASSWORD, startServerProcess, type ServerProcess } from '../harness/process';
