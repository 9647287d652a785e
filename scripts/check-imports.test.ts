// Proves the layering check catches each kind of violation, and that the real tree passes it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImports } from './check-imports';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-imports-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(tmp, 't-'));
  for (const [f, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), body);
  }
  return root;
}

describe('checkImports', () => {
  it('accepts the project tree', () => {
    expect(checkImports(path.resolve(import.meta.dirname, '..'))).toEqual([]);
  });

  it.each([
    ['renderer/a.ts', "import fs from 'node:fs';", 'renderer/ never imports node built-ins'],
    ['renderer/a.ts', "import { x } from 'fs';", 'renderer/ never imports node built-ins'],
    ['renderer/a.ts', "import { x } from '../main/server/app';", 'renderer/ never imports main/'],
    ['renderer/a.ts', "import { x } from '../media/ffmpeg';", 'renderer/ never imports media/'],
    ['renderer/a.ts', "const s = await import('../storage/x');", 'renderer/ never imports storage/'],
    ['renderer/a.ts', "import { ipcRenderer } from 'electron';", "only main/electron/ may import 'electron'"],
    ['media/a.ts', "import { x } from '../storage/repositories';", 'media/ never imports storage/'],
    ['media/a.ts', "export { x } from '../main/config';", 'media/ never imports main/'],
    ['storage/a.ts', "import type { R } from '../media/recorder';", 'storage/ never imports media/'],
    ['storage/a.ts', "const c = require('../main/config');", 'storage/ never imports main/'],
    ['common/a.ts', "import path from 'node:path';", 'common/ imports only common/'],
    ['common/a.ts', "import { x } from '../storage/y';", 'common/ imports only common/'],
    ['common/a.ts', "import WebSocket from 'ws';", 'common/ imports only common/'],
    ['main/server/a.ts', "import { app } from 'electron';", "only main/electron/ may import 'electron'"],
    ['media/export.ts', "import ffmpeg from 'fluent-ffmpeg';", "only media/ffmpeg-launcher.ts may import 'fluent-ffmpeg'"],
    ['main/services/a.ts', "import type { FfprobeData } from 'fluent-ffmpeg';", "only media/ffmpeg-launcher.ts may import 'fluent-ffmpeg'"],
    ['main/services/a.ts', "import { ApiError } from '../server/errors';", 'main/services/ never imports main/server/'],
    ['main/services/x/a.ts', "import type { Principal } from '../../server/router';", 'main/services/ never imports main/server/'],
    ['main/services/a.ts', "export { x } from '../server';", 'main/services/ never imports main/server/'],
    ['main/platform/a.ts', "import type { Store } from '../../storage/repositories';", 'main/platform/ imports only common/ and main/platform/'],
    ['main/platform/a.ts', "import { x } from '../services/contracts';", 'main/platform/ imports only common/ and main/platform/'],
    ['main/platform/a.ts', "import { x } from '../config';", 'main/platform/ imports only common/ and main/platform/'],
    ['agent/a.ts', "import sqlite3 from 'sqlite3';", "agent/ imports only common/, media/, 'ws' and node: built-ins"],
    ['agent/a.ts', "import { WebSocketServer } from 'ws/lib/websocket-server';", "agent/ imports only common/, media/, 'ws' and node: built-ins"],
    ['agent/a.ts', "import { x } from '../storage/repositories';", "agent/ imports only common/, media/, 'ws' and node: built-ins"],
    ['agent/a.ts', "import { x } from '../main/config';", "agent/ imports only common/, media/, 'ws' and node: built-ins"],
  ])('flags %s: %s', (file, code, rule) => {
    const root = tree({ [file]: code + '\n', 'common/ok.ts': "export const ok = 1;\n" });
    const v = checkImports(root);
    expect(v.map((x) => x.rule)).toContain(rule);
    expect(v[0].file).toBe(file);
    expect(v[0].line).toBe(1);
  });

  it('allows what the rules allow', () => {
    const root = tree({
      'common/a.ts': "import { b } from './b';\nexport type { C } from './c';\n",
      'common/b.ts': 'export const b = 1;\n',
      'renderer/app.ts': "import { b } from '../common/b';\nimport L from 'leaflet';\n",
      'media/r.ts': "import { b } from '../common/b';\nimport fs from 'node:fs';\n",
      'media/ffmpeg-launcher.ts': "import ffmpeg from 'fluent-ffmpeg';\n",
      'storage/s.ts': "import sqlite3 from 'sqlite3';\nimport type { b } from '../common/b';\n",
      'main/electron/main.ts': "import { app } from 'electron';\nimport { x } from '../../media/r';\n",
      'main/server/x.ts': "import { s } from '../../storage/s';\nimport { e } from '../platform/e';\nimport { v } from '../services/v';\n",
      'main/services/v.ts': "import { e } from '../platform/e';\nimport { s } from '../../storage/s';\nimport http from 'node:http';\n",
      'main/platform/e.ts': "import { b } from '../../common/b';\nimport { f } from './f';\nimport fs from 'node:fs';\n",
      'agent/cli.ts': "import net from 'node:net';\nimport { b } from '../common/b';\nimport { r } from '../media/r';\nimport { l } from './link';\nimport WebSocket from 'ws';\n",
    });
    expect(checkImports(root)).toEqual([]);
  });
});
