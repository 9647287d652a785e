// Writes docs/openapi.json from the server's route table (`tsx scripts/gen-openapi.ts`; `--check` only compares).
import fs from 'node:fs';
import { formatOpenApi } from '../main/server/openapi';
import { openApiDocument } from '../main/server/routes/index';

const file = new URL('../docs/openapi.json', import.meta.url);
const text = formatOpenApi(openApiDocument());
if (process.argv.includes('--check')) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== text) {
    console.error('docs/openapi.json is out of date: run `tsx scripts/gen-openapi.ts`');
    process.exit(1);
  }
  console.log('docs/openapi.json is up to date');
} else {
  fs.writeFileSync(file, text);
  console.log(`wrote docs/openapi.json (${Object.keys((openApiDocument() as { paths: object }).paths).length} paths)`);
}
