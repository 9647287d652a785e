// `npm run rotate-secrets-key -- [--data-dir DIR]`: a new secrets key; every stored camera/device password re-sealed under it (server stopped).
import fs from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { dataDirFrom, loadConfig } from '../main/config';
import { generateSecretKey, keyIdOf, SecretBox, secretKeySourceOf, secretsFor, writeKeyFile } from '../main/platform/secret-box';
import { openSqliteStore } from '../storage/sqlite/index';
import { countSealed } from '../storage/sqlite/secrets';

/** True when something answers on the server's HTTP port (the server is probably running on this data directory). */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port });
    s.setTimeout(1000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

/**
 * Crash-safe in three steps: (1) the key file gets the new key first and keeps the old one after it, so both open; (2)
 * the database re-seals every value under the new key in one transaction (storage/sqlite/secrets.ts, as a start does);
 * (3) the old key is dropped from the file. Interrupted anywhere, the next start or run finishes the job: each value
 * names the key that sealed it.
 */
export async function rotateSecretsKey(dataDir: string, say: (line: string) => void = console.log): Promise<{ from: string; to: string; resealed: number }> {
  const config = loadConfig({ dataDir });
  if (config.secretsKey) {
    throw new Error(
      'ARGUS_SECRETS_KEY is set: rotate by hand (docs/security.md "Key files"): start once with ARGUS_SECRETS_KEY="<new>,<old>" (new key first), then with "<new>" alone',
    );
  }
  if (config.port !== 0 && (await answers(config.bind, config.port))) {
    throw new Error(`something answers on ${config.bind}:${config.port}: stop the Argus server on this data directory first`);
  }
  const src = secretKeySourceOf(config);
  const current = SecretBox.open(src, { mayCreate: false });
  const oldKeys = fs
    .readFileSync(src.keyFile, 'utf8')
    .split(/\s+/)
    .filter((k) => k !== '');
  const fresh = generateSecretKey();
  writeKeyFile(src.keyFile, [fresh, ...oldKeys]);
  const store = await openSqliteStore(config.dbFile, { log: (l) => say(typeof l === 'string' ? l : String(l)), secrets: secretsFor(config) });
  const resealed = await countSealed(store.db);
  await store.close();
  writeKeyFile(src.keyFile, [fresh]);
  const to = keyIdOf(Buffer.from(fresh, 'base64'));
  say(`secrets key rotated: ${current.keyId} -> ${to}; ${resealed} stored password(s) now sealed under the new key.`);
  say(`Back up ${src.keyFile} now (apart from the database); backups of the database made from now on need this key.`);
  return { from: current.keyId, to, resealed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
  rotateSecretsKey(dataDirFrom(values['data-dir'], process.env)).catch((err: unknown) => {
    console.error(`rotate-secrets-key: ${(err as Error).message}`);
    process.exit(1);
  });
}
