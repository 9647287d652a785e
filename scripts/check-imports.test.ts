// Proves the layering check catches each rule's violation (file, line, rule) in a temporary tree, and that the real tree passes it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImports, RULES, type ImportException } from './check-imports';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-imports-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A skeleton with one module in every layer, so that each import below resolves to a real file. */
const SKELETON = [
  'common/b.ts',
  'storage/repositories.ts',
  'storage/sqlite/index.ts',
  'storage/sqlite/mbtiles.ts',
  'media/recorder.ts',
  'media/ffmpeg-launcher.ts',
  'main/config.ts',
  'main/platform/errors.ts',
  'main/server/index.ts',
  'main/server/errors.ts',
  'main/server/backend.ts',
  'main/electron/bridge.ts',
  'main/services/contracts.ts',
  'main/services/alarms/control.ts',
  'main/services/investigation/service.ts',
  'renderer/app.ts',
  'agent/link.ts',
  'test/helpers/ffmpeg.ts',
  'bench/lib/report.ts',
  'scripts/gen.ts',
];

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(tmp, 't-'));
  const all: Record<string, string> = Object.fromEntries(SKELETON.map((f) => [f, 'export const x = 1;\n']));
  for (const [f, body] of Object.entries({ ...all, ...files })) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), body);
  }
  return root;
}

describe('checkImports', () => {
  it('accepts the project tree', () => {
    expect(checkImports(path.resolve(import.meta.dirname, '..'))).toEqual([]);
  });

  // [file, import (on line 2, below the header comment), rule]
  it.each([
    ['common/a.ts', "import path from 'node:path';", RULES.common],
    ['common/a.ts', "import WebSocket from 'ws';", RULES.common],
    ['common/a.ts', "import { x } from '../storage/repositories';", RULES.common],
    ['common/a.ts', "export type { x } from '../renderer/app';", RULES.common],
    ['storage/a.ts', "import type { x } from '../media/recorder';", RULES.storage],
    ['storage/sqlite/a.ts', "const c = require('../../main/config');", RULES.storage],
    ['storage/a.ts', "const m = await import('../main/server/errors');", RULES.storage],
    ['media/a.ts', "import { x } from '../storage/repositories';", RULES.media],
    ['media/a.ts', "export { x } from '../main/config';", RULES.media],
    ['media/a.ts', "type T = typeof import('../agent/link');", RULES.media],
    ['main/platform/a.ts', "import type { x } from '../../storage/repositories';", RULES.platform],
    ['main/platform/a.ts', "import { x } from '../services/contracts';", RULES.platform],
    ['main/platform/a.ts', "import { x } from '../config';", RULES.platform],
    ['main/services/a.ts', "import { x } from '../server/errors';", RULES.services],
    ['main/services/alarms/a.ts', "import type { x } from '../../server';", RULES.services],
    ['main/services/a.ts', "export * from '../electron/bridge';", RULES.services],
    ['main/config.ts', "export { x } from './services/contracts';", RULES.mainRoot],
    ['main/server/a.ts', "import { x } from '../electron/bridge';", RULES.electronDir],
    ['renderer/a.ts', "import { x } from '../main/server/errors';", RULES.renderer],
    ['renderer/a.ts', "import { x } from '../media/recorder';", RULES.renderer],
    ['renderer/a.ts', "const s = await import('../storage/repositories');", RULES.renderer],
    ['renderer/a.ts', "import type { x } from '../agent/link';", RULES.renderer],
    ['renderer/a.ts', "import fs from 'node:fs';", RULES.rendererNode],
    ['renderer/a.ts', "import { readFile } from 'fs';", RULES.rendererNode],
    ['renderer/a.ts', "import { ipcRenderer } from 'electron';", RULES.electron],
    ['agent/a.ts', "import sqlite3 from 'sqlite3';", RULES.agent],
    ['agent/a.ts', "import { WebSocketServer } from 'ws/lib/websocket-server';", RULES.agent],
    ['agent/a.ts', "import { x } from '../storage/repositories';", RULES.agent],
    ['agent/a.ts', "import { x } from '../main/config';", RULES.agent],
    ['media/a.ts', "import { x } from '../test/helpers/ffmpeg';", RULES.product],
    ['main/server/a.ts', "import { x } from '../../bench/lib/report';", RULES.product],
    ['main/services/a.ts', "import { x } from '../../scripts/gen';", RULES.product],
    ['main/services/a.ts', "import { x } from '../../storage/sqlite/index';", RULES.storageImpl],
    ['main/server/routes/a.ts', "import type { x } from '../../../storage/sqlite';", RULES.storageImpl],
    ['main/services/gps/a.ts', "import { x } from '../../../storage/sqlite/mbtiles';", RULES.storageImpl],
    ['storage/a.ts', "import { x } from './sqlite/index';", RULES.storageImpl],
    ['main/services/alarms/a.ts', "import { x } from '../investigation/service';", RULES.features],
    ['main/services/investigation/a.ts', "import type { x } from '../alarms/control';", RULES.features],
    ['main/services/investigation/a.ts', "export { x } from '../alarms/control';", RULES.features],
    ['main/server/a.ts', "import { app } from 'electron';", RULES.electron],
    ['test/e2e/a.test.ts', "import { app } from 'electron';", RULES.electron],
    ['bench/a.ts', "const e = await import('electron');", RULES.electron],
    ['media/export.ts', "import ffmpeg from 'fluent-ffmpeg';", RULES.ffmpeg],
    ['main/services/a.ts', "import type { FfprobeData } from 'fluent-ffmpeg';", RULES.ffmpeg],
    ['test/helpers/a.ts', "import ffmpeg from 'fluent-ffmpeg';", RULES.ffmpeg],
    ['main/server/a.ts', "import { x } from './no-such-module';", RULES.resolves],
    ['scripts/a.ts', "import { x } from '../../outside';", RULES.resolves],
  ])('flags %s: %s', (file, code, rule) => {
    const root = tree({ [file]: `// ${file}\n${code}\n` });
    const v = checkImports(root, []);
    expect(v.map((x) => x.rule)).toContain(rule);
    const hit = v.find((x) => x.rule === rule)!;
    expect(hit.file).toBe(file);
    expect(hit.line).toBe(2);
  });

  it('reports the line of an import written over several lines, and of an import() deep in a function', () => {
    const root = tree({
      'renderer/a.ts':
        "// header\nimport {\n  x,\n} from '../main/config';\nexport async function f() {\n  if (x) {\n    return import('../media/recorder');\n  }\n}\n",
    });
    expect(checkImports(root, []).map((v) => `${v.line} ${v.specifier}`)).toEqual(['2 ../main/config', '7 ../media/recorder']);
  });

  it('allows what the rules allow', () => {
    const root = tree({
      'common/a.ts': "import { x } from './b';\nexport type { x as y } from './b';\n",
      'renderer/a.ts': "import { x } from '../common/b';\nimport L from 'leaflet';\nimport './wall.css';\n",
      'renderer/wall.css': '.x {}\n',
      'renderer/a.test.ts': "import { describe } from 'vitest';\nimport { x } from './app';\n",
      'media/r.ts': "import { x } from '../common/b';\nimport fs from 'node:fs';\nimport NMS from 'node-media-server';\n",
      'media/r.test.ts': "import { x } from '../test/helpers/ffmpeg';\nimport { y } from './recorder';\n",
      'media/ffmpeg-launcher.ts': "import ffmpeg from 'fluent-ffmpeg';\n",
      'storage/s.ts': "import sqlite3 from 'sqlite3';\nimport type { x } from '../common/b';\n",
      'storage/sqlite/s.ts': "import { x } from '../repositories';\nimport { y } from './mbtiles';\n",
      'main/electron/main.ts': "import { app } from 'electron';\nimport { x } from '../server/backend';\nimport { y } from './bridge';\n",
      'main/server/backend.ts':
        "import { x } from '../../storage/sqlite';\nimport { y } from '../services/alarms/control';\nimport { z } from '../../media/recorder';\n",
      'main/server/cli.ts': "import { x } from '../../storage/sqlite/index';\n",
      'main/services/v.ts':
        "import { x } from '../platform/errors';\nimport { y } from '../../storage/repositories';\nimport http from 'node:http';\nimport { z } from '../config';\n",
      'main/services/alarms/a.ts': "import type { x } from '../contracts';\nimport { y } from './control';\nimport { z } from '../v';\n",
      'main/services/alarms/a.test.ts':
        "import { x } from '../investigation/service';\nimport { y } from '../../../storage/sqlite';\nimport { z } from '../../../test/helpers/ffmpeg';\n",
      'main/platform/e.ts': "import { x } from '../../common/b';\nimport { y } from './errors';\nimport fs from 'node:fs';\n",
      'main/config.ts': "export { x } from './platform/errors';\n",
      'agent/cli.ts':
        "import net from 'node:net';\nimport { x } from '../common/b';\nimport { y } from '../media/recorder';\nimport { z } from './link';\nimport WebSocket from 'ws';\n",
      'test/e2e/a.test.ts':
        "import { x } from '../../storage/sqlite';\nimport { y } from '../../main/server/backend';\nimport { z } from '../../renderer/app';\nimport { chromium } from 'playwright-core';\n",
      'bench/a.ts': "import { x } from '../storage/sqlite/mbtiles';\nimport { y } from '../test/helpers/ffmpeg';\nimport { z } from '../scripts/gen';\n",
      'scripts/b.ts': "import { x } from '../storage/sqlite';\nimport ts from 'typescript';\n",
    });
    expect(checkImports(root, [])).toEqual([]);
  });

  it('accepts a listed exception and reports one that is no longer needed', () => {
    const ex: ImportException = { rule: RULES.storageImpl, file: 'main/services/gps/tiles.ts', target: 'storage/sqlite/mbtiles.ts', why: 'test' };
    const importing = tree({ 'main/services/gps/tiles.ts': "import { x } from '../../../storage/sqlite/mbtiles';\n" });
    expect(checkImports(importing, [ex])).toEqual([]);
    const clean = tree({ 'main/services/gps/tiles.ts': "import { x } from '../../../common/b';\n" });
    expect(checkImports(clean, [ex]).map((v) => v.rule)).toEqual([`stale exception (no longer needed): ${RULES.storageImpl}`]);
  });
});
