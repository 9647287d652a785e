// The console's style sheets: every sheet under renderer/ reaches app.css (listed in renderer/styles.css or imported by its tab), each is small.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from './build-renderer';

const ROOT = path.resolve(import.meta.dirname, '..');
const RENDERER = path.join(ROOT, 'renderer');

function sheetsUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sheetsUnder(p);
    return e.name.endsWith('.css') ? [p] : [];
  });
}

describe('console style sheets', () => {
  let tmp = '';
  let bundled: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-styles-'));
    const build = await buildRenderer(path.join(tmp, 'console'));
    const map = JSON.parse(fs.readFileSync(path.join(build.outDir, 'app.css.map'), 'utf8')) as { sources: string[] };
    bundled = map.sources.map((s) => fs.realpathSync(path.resolve(build.outDir, s)));
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('bundles every sheet under renderer/ into app.css (none forgotten)', () => {
    const missing = sheetsUnder(RENDERER)
      .filter((f) => path.basename(f) !== 'styles.css' || path.dirname(f) !== RENDERER)
      .filter((f) => !bundled.includes(fs.realpathSync(f)))
      .map((f) => path.relative(ROOT, f));
    expect(missing).toEqual([]);
  });

  it('keeps each sheet under 400 lines with a one-line header comment', () => {
    const bad = sheetsUnder(RENDERER)
      .map((f) => ({ file: path.relative(ROOT, f), lines: fs.readFileSync(f, 'utf8').split('\n') }))
      .filter(({ lines }) => lines.length > 400 || !/^\/\* .+ \*\/$/.test(lines[0]))
      .map(({ file, lines }) => `${file}: ${lines.length} lines, header ${JSON.stringify(lines[0])}`);
    expect(bad).toEqual([]);
  });
});
