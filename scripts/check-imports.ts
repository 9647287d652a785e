// Layering check (run by `npm test`): enforces the import rules between common/, renderer/, media/, storage/, main/ and agent/, and inside main/ (platform → services → server).
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const LAYERS = ['common', 'renderer', 'media', 'storage', 'main', 'agent'] as const;
type Layer = (typeof LAYERS)[number];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs)$/;
const IMPORT_RES = [
  /\bimport\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s+from\s+['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const BUILTINS = new Set(builtinModules);

function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]);
}

function walk(dir: string, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
}

function layerOf(root: string, file: string): Layer | null {
  const top = path.relative(root, file).split(path.sep)[0];
  return (LAYERS as readonly string[]).includes(top) ? (top as Layer) : null;
}

/** Returns every import that breaks a rule; test files are held to the same rules as the code beside them. */
export function checkImports(root: string): Violation[] {
  const files: string[] = [];
  for (const l of LAYERS) walk(path.join(root, l), files);
  const out: Violation[] = [];
  for (const file of files) {
    const from = layerOf(root, file)!;
    const rel = path.relative(root, file).split(path.sep).join('/');
    const isElectronDir = rel.startsWith('main/electron/');
    const text = fs.readFileSync(file, 'utf8');
    const lineAt = (idx: number) => text.slice(0, idx).split('\n').length;
    for (const re of IMPORT_RES) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const spec = m[1];
        const add = (rule: string) => out.push({ file: rel, line: lineAt(m!.index), specifier: spec, rule });
        const resolved = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : null;
        const target = resolved ? layerOf(root, resolved) : null;
        const targetRel = resolved ? path.relative(root, resolved).split(path.sep).join('/') : null;
        const outside = spec.startsWith('.') && target === null;
        if (spec === 'electron' || spec.startsWith('electron/')) {
          if (!isElectronDir) add("only main/electron/ may import 'electron'");
        }
        // Every ffmpeg/ffprobe start goes through the launcher (its watchdog, its binary paths).
        if (spec === 'fluent-ffmpeg' && rel !== 'media/ffmpeg-launcher.ts') add("only media/ffmpeg-launcher.ts may import 'fluent-ffmpeg'");
        switch (from) {
          case 'common':
            if (!spec.startsWith('.') || target !== 'common') add('common/ imports only common/');
            break;
          case 'renderer':
            if (isNodeBuiltin(spec)) add('renderer/ never imports node built-ins');
            if (target === 'main' || target === 'media' || target === 'storage') add(`renderer/ never imports ${target}/`);
            if (outside) add('renderer/ never imports outside the project layers');
            break;
          case 'media':
            if (target === 'storage' || target === 'main') add(`media/ never imports ${target}/`);
            break;
          case 'storage':
            if (target === 'media' || target === 'main') add(`storage/ never imports ${target}/`);
            break;
          case 'main':
            // Inside main/: platform (config, errors, the Actor) → domain services → adapters (main/server/, the HTTP routes and WebSocket).
            if (rel.startsWith('main/platform/') && targetRel !== null && target !== 'common' && !targetRel.startsWith('main/platform/'))
              add('main/platform/ imports only common/ and main/platform/');
            if (rel.startsWith('main/services/') && targetRel !== null && (targetRel === 'main/server' || targetRel.startsWith('main/server/')))
              add('main/services/ never imports main/server/');
            break;
          case 'agent':
            // The field uplink agent runs on a vehicle computer: Node built-ins, common/ contracts, media/ (ffmpeg), and the
            // `ws` client for the telemetry WebSocket (Node 20 has none) only.
            if (!isNodeBuiltin(spec) && spec !== 'ws' && target !== 'common' && target !== 'media' && target !== 'agent') add("agent/ imports only common/, media/, 'ws' and node: built-ins");
            break;
        }
      }
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, '..');
  const v = checkImports(root);
  for (const x of v) console.error(`${x.file}:${x.line}: '${x.specifier}': ${x.rule}`);
  if (v.length) {
    console.error(`check-imports: ${v.length} violation(s)`);
    process.exit(1);
  }
  console.log('check-imports: layering rules hold');
}
