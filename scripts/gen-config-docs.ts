// Writes README.md's configuration tables from the setting declarations (`tsx scripts/gen-config-docs.ts`; `--check` only compares).
import fs from 'node:fs';
import { renderReadme } from '../main/config';

const file = new URL('../README.md', import.meta.url);
const current = fs.readFileSync(file, 'utf8');
const text = renderReadme(current);
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error("README.md's configuration tables are out of date: run `tsx scripts/gen-config-docs.ts`");
    process.exit(1);
  }
  console.log("README.md's configuration tables are up to date");
} else {
  fs.writeFileSync(file, text);
  console.log("wrote README.md's configuration tables");
}
