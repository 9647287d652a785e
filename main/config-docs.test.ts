// Tests that README.md's configuration tables are the ones generated from the setting declarations.
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { renderReadme, SETTING_KEYS, SETTINGS, settingsTable } from './config';

const README = new URL('../README.md', import.meta.url);

describe('README configuration tables', () => {
  test('README.md equals its generated form (run `npx tsx scripts/gen-config-docs.ts` after changing a setting)', () => {
    const readme = fs.readFileSync(README, 'utf8');
    expect(readme).toBe(renderReadme(readme));
  });

  test('every setting has its row: name, environment variable, default and meaning', () => {
    const table = settingsTable();
    for (const key of SETTING_KEYS) {
      const d = SETTINGS[key];
      const line = table.split('\n').find((l) => l.includes('`' + d.env + '`'));
      expect(line, key).toBeDefined();
      expect(line).toContain(d.envOnly ? '| — |' : '| `' + key + '` |');
      expect(line).toContain(d.description);
      if (d.default !== undefined && !d.defaultText) expect(line).toContain('`' + String(d.default) + '`');
    }
  });

  test('a README out of step is rewritten, one without the markers refused', () => {
    const readme = fs.readFileSync(README, 'utf8');
    const stale = readme.replace('| `port` | `ARGUS_PORT` | `8640` |', '| `port` | `ARGUS_PORT` | `8080` |');
    expect(stale).not.toBe(readme);
    expect(renderReadme(stale)).toBe(readme);
    expect(() => renderReadme(readme.replace('<!-- config:end -->', ''))).toThrow(/config:start/);
  });
});
