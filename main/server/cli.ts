// Headless entry point: `npm run server -- --data-dir DIR --port N [--bind ADDR]` starts the whole back end.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { dataDirFrom, loadConfig } from '../config';
import { createLogger, loggerOptionsOf, type RootLog } from '../platform/logger';
import { startBackend } from './backend';

/** The root logger, once the settings are read (before that, errors go to stderr as plain lines). */
let root: RootLog | null = null;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      bind: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'usage: npm run server -- [--data-dir DIR] [--port N] [--bind ADDR]\n' + 'Data dir defaults to $ARGUS_DATA_DIR or ./data; see README.md for settings.',
    );
    return;
  }
  const dataDir = dataDirFrom(values['data-dir'], process.env);
  fs.mkdirSync(dataDir, { recursive: true });
  // Flags are validated with the settings they set (a bad --port names the flag).
  const port = values.port !== undefined ? (values.port.trim() === '' ? NaN : Number(values.port)) : undefined;
  const config = loadConfig({ dataDir, overrides: { port, bind: values.bind } });
  root = createLogger(loggerOptionsOf(config));
  const log = root.child('argus');
  process.on('exit', () => root?.close());
  const backend = await startBackend(config, { log: root });
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${sig}: closing recordings and shutting down`, { signal: sig });
    // Generous: each recorder gets SIGTERM, then SIGKILL after 5 s; closing many cameras takes a few seconds more.
    const force = setTimeout(() => {
      log.error('shutdown did not finish within 60 s; exiting');
      process.exit(1);
    }, 60_000);
    force.unref();
    await backend.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  const message = e instanceof Error ? e.message : String(e);
  if (root) root.child('argus').error(`cannot start: ${message}`, { err: e });
  else console.error(`[argus] cannot start: ${message}`);
  process.exit(1);
});
