// `npm run verify-export -- DIR`: checks an Argus evidence package offline against its manifest; names every file changed, added or removed.
import path from 'node:path';
import { verifyPackage } from '../main/services/investigation/manifest';

async function main(): Promise<number> {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (!dir) {
    console.error('usage: npm run verify-export -- <package directory>');
    return 2;
  }
  const r = await verifyPackage(path.resolve(dir));
  if (r.manifestError) {
    console.error(`FAIL ${dir}: manifest.json: ${r.manifestError}`);
    return 1;
  }
  for (const f of r.changed) console.log(`CHANGED ${f}`);
  for (const f of r.added) console.log(`ADDED   ${f}`);
  for (const f of r.removed) console.log(`REMOVED ${f}`);
  if (r.ok) console.log(`OK ${dir}: ${r.checked} files match manifest.json`);
  else console.error(`FAIL ${dir}: ${r.changed.length} changed, ${r.added.length} added, ${r.removed.length} removed`);
  return r.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`verify-export: ${(err as Error).message}`);
    process.exit(2);
  },
);
