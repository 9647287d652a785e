// Proves the ESLint setup (eslint.config.js with the type-checked rules) reports a floating promise and an unused variable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-lint-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('eslint.config.js', () => {
  it('reports a floating promise and an unused variable, with their lines', async () => {
    // A copy of the project's configuration (eslint.config.js, tsconfig.json, its node_modules) around one fixture file.
    fs.copyFileSync(path.join(root, 'eslint.config.js'), path.join(tmp, 'eslint.config.js'));
    fs.copyFileSync(path.join(root, 'tsconfig.json'), path.join(tmp, 'tsconfig.json'));
    fs.copyFileSync(path.join(root, 'package.json'), path.join(tmp, 'package.json'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'));
    fs.mkdirSync(path.join(tmp, 'scripts'));
    const file = path.join(tmp, 'scripts', 'fixture.ts');
    fs.writeFileSync(
      file,
      [
        '// A module with two mistakes.',
        'export async function save(): Promise<void> {}',
        'export function run(): void {',
        '  const unused = 1;',
        '  save();',
        '}',
        '',
      ].join('\n'),
    );
    const [result] = await new ESLint({ cwd: tmp }).lintFiles([file]);
    const found = result.messages.map((m) => `${m.line} ${m.ruleId} ${m.message}`);
    expect(found.map((f) => f.split(' ').slice(0, 2).join(' ')).sort(), found.join('\n')).toEqual([
      '4 @typescript-eslint/no-unused-vars',
      '5 @typescript-eslint/no-floating-promises',
    ]);
    expect(result.errorCount).toBe(2);
  });
});
