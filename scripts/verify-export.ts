// `npm run verify-export -- DIR [--public-key FILE | --fingerprint HEX] [--allow-unsigned]`: checks an Argus evidence package offline: every file's hash, then the manifest's Ed25519 signature.
import fs from 'node:fs';
import path from 'node:path';
import { verifyPackage } from '../main/services/investigation/manifest';
import { publicKeyFromPem } from '../main/platform/site-key';

const USAGE = 'usage: npm run verify-export -- <package directory> [--public-key FILE | --fingerprint HEX] [--allow-unsigned]';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const valued = new Set(['--public-key', '--fingerprint']);
  const dir = args.find((a, i) => !a.startsWith('-') && !valued.has(args[i - 1] ?? ''));
  if (!dir) {
    console.error(USAGE);
    return 2;
  }
  const keyFile = arg('--public-key');
  const fingerprint = arg('--fingerprint')
    ?.toLowerCase()
    .replace(/[^0-9a-f]/g, '');
  const publicKeyPem = keyFile ? publicKeyFromPem(fs.readFileSync(keyFile, 'utf8')) : undefined;
  const r = await verifyPackage(path.resolve(dir), { publicKeyPem, allowUnsigned: args.includes('--allow-unsigned') });
  if (r.manifestError) {
    console.error(`FAIL ${dir}: manifest.json: ${r.manifestError}`);
    return 1;
  }
  for (const f of r.changed) console.log(`CHANGED ${f}`);
  for (const f of r.added) console.log(`ADDED   ${f}`);
  for (const f of r.removed) console.log(`REMOVED ${f}`);
  const filesOk = r.changed.length + r.added.length + r.removed.length === 0;
  if (filesOk) console.log(`FILES OK ${r.checked} files match manifest.json`);
  else console.error(`FILES FAIL ${r.changed.length} changed, ${r.added.length} added, ${r.removed.length} removed`);

  const sig = r.signature!;
  let ok = r.ok;
  switch (sig.state) {
    case 'ok':
      if (sig.against === 'given') console.log(`SIGNATURE OK signed by the given public key (fingerprint ${sig.fingerprint})`);
      else if (fingerprint) {
        if (fingerprint === sig.fingerprint)
          console.log(`SIGNATURE OK signed by the embedded key, whose fingerprint matches the one given (${sig.fingerprint})`);
        else {
          console.error(`SIGNATURE FAIL the embedded key's fingerprint ${sig.fingerprint} is not the one given (${fingerprint}): signed by another key`);
          ok = false;
        }
      } else {
        console.log(`SIGNATURE CHECKED AGAINST THE EMBEDDED KEY ONLY: it proves nothing until you compare its fingerprint with the site's by hand:`);
        console.log(`  fingerprint ${sig.fingerprint}`);
        console.log('  (or run again with --public-key FILE or --fingerprint HEX from the site: GET /api/v1/site-key)');
      }
      break;
    case 'unsigned':
      if (args.includes('--allow-unsigned')) console.log('UNSIGNED the manifest carries no signature (made before signing): only the hashes were checked');
      else console.error('SIGNATURE FAIL the manifest carries no signature (made before signing, or removed): pass --allow-unsigned to check hashes only');
      break;
    case 'bad':
      console.error(`SIGNATURE FAIL ${sig.reason ?? 'does not verify'}${sig.fingerprint ? ` (key ${sig.fingerprint})` : ''}`);
      break;
    default: {
      const never: never = sig.state;
      throw new Error(`unexpected ${String(never)}`);
    }
  }
  if (ok) console.log(`OK ${dir}: ${r.checked} files match manifest.json${sig.state === 'ok' ? ', signature verified' : ''}`);
  else console.error(`FAIL ${dir}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`verify-export: ${(err as Error).message}`);
    process.exit(2);
  },
);
