// Layering check (run by `npm run check`): every import of every folder, resolved by the TypeScript compiler (scripts/import-graph.ts), against the allow-lists per layer below.
import path from 'node:path';
import { importGraph, type ImportEdge } from './import-graph';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

/** One import the rules forbid but the project keeps for now, with the reason (listed in docs/conventions.md). */
export interface ImportException {
  rule: string;
  file: string;
  /** The imported project file (project-relative). */
  target: string;
  why: string;
}

export const RULES = {
  common: 'common/ imports only common/',
  storage: 'storage/ imports only common/ and storage/',
  media: 'media/ imports only common/ and media/',
  platform: 'main/platform/ imports only common/ and main/platform/',
  services: 'main/services/ never imports main/server/ or main/electron/',
  mainRoot: 'main/*.ts imports only common/ and main/platform/',
  electronDir: 'only main/electron/ imports main/electron/',
  renderer: 'renderer/ imports only common/ and renderer/',
  rendererNode: 'renderer/ never imports node built-ins',
  agent: "agent/ imports only common/, media/, agent/, 'ws' and node built-ins",
  product: 'product code never imports test/, bench/ or scripts/',
  storageImpl: 'storage/sqlite/ is wired only by the composition root (main/server/backend.ts, cli.ts, test-support.ts), tests, bench/ and scripts/',
  features: 'features (main/services/<feature>/) reach each other only through main/services/contracts.ts',
  electron: "only main/electron/ may import 'electron'",
  ffmpeg: "only media/ffmpeg-launcher.ts may import 'fluent-ffmpeg'",
  resolves: 'relative imports resolve to a file inside the project',
} as const;

/** The modules that wire storage implementations into services. */
export const COMPOSITION_ROOTS = ['main/server/backend.ts', 'main/server/cli.ts', 'main/server/test-support.ts'];

export const EXCEPTIONS: ImportException[] = [];

const isTest = (f: string) => /\.test\.[cm]?tsx?$/.test(f) || f.startsWith('test/');
const under = (f: string, ...dirs: string[]) => dirs.some((d) => f.startsWith(d + '/'));
/** Folders of code that ships (everything but test/, bench/, scripts/ and *.test.ts). */
const PRODUCT = ['common', 'storage', 'media', 'main', 'renderer', 'agent'];

/** The rules one import breaks. */
function broken(e: ImportEdge): string[] {
  const out: string[] = [];
  const from = e.file;
  const t = e.target;
  const to = t.kind === 'file' ? t.file : null;
  const pkg = t.kind === 'package' ? t.name : null;
  const test = isTest(from);
  // Tests beside the code follow its layer's rules, and may also use the shared helpers in test/ and scripts/.
  const helper = test && to !== null && under(to, 'test', 'scripts');
  const onlyFiles = (rule: string, ...dirs: string[]) => {
    if (to !== null && !helper && !under(to, ...dirs)) out.push(rule);
  };

  if (t.kind === 'unresolved' || t.kind === 'outside') out.push(RULES.resolves);
  if (pkg === 'electron' && !under(from, 'main/electron')) out.push(RULES.electron);
  if (pkg === 'fluent-ffmpeg' && from !== 'media/ffmpeg-launcher.ts') out.push(RULES.ffmpeg);
  if (to !== null && under(to, 'main/electron') && !under(from, 'main/electron')) out.push(RULES.electronDir);
  if (to !== null && !test && under(from, ...PRODUCT) && under(to, 'test', 'bench', 'scripts')) out.push(RULES.product);
  if (to !== null && under(to, 'storage/sqlite') && !under(from, 'storage/sqlite', 'bench', 'scripts') && !test && !COMPOSITION_ROOTS.includes(from))
    out.push(RULES.storageImpl);
  const feature = (f: string) => /^main\/services\/([^/]+)\//.exec(f)?.[1] ?? null;
  if (to !== null && !test && feature(from) !== null && feature(to) !== null && feature(from) !== feature(to)) out.push(RULES.features);

  if (under(from, 'common')) {
    if (t.kind === 'package' || t.kind === 'builtin') {
      if (!(test && pkg === 'vitest')) out.push(RULES.common);
    } else onlyFiles(RULES.common, 'common');
  } else if (under(from, 'storage')) onlyFiles(RULES.storage, 'common', 'storage');
  else if (under(from, 'media')) onlyFiles(RULES.media, 'common', 'media');
  else if (under(from, 'main/platform')) onlyFiles(RULES.platform, 'common', 'main/platform');
  else if (under(from, 'main/services')) {
    if (to !== null && under(to, 'main/server', 'main/electron')) out.push(RULES.services);
  } else if (under(from, 'main') && !from.slice('main/'.length).includes('/')) {
    if (!test) onlyFiles(RULES.mainRoot, 'common', 'main/platform');
  } else if (under(from, 'renderer')) {
    onlyFiles(RULES.renderer, 'common', 'renderer');
    if (t.kind === 'builtin') out.push(RULES.rendererNode);
  } else if (under(from, 'agent')) {
    onlyFiles(RULES.agent, 'common', 'media', 'agent');
    if (t.kind === 'package' && e.specifier !== 'ws') out.push(RULES.agent);
  }
  return out;
}

/** Every import under root that breaks a rule, less the listed exceptions; an exception that matches nothing any more is reported too. */
export function checkImports(root: string, exceptions: ImportException[] = EXCEPTIONS): Violation[] {
  const { files, edges } = importGraph(root);
  const used = new Set<ImportException>();
  const out: Violation[] = [];
  for (const e of edges) {
    for (const rule of broken(e)) {
      const ex = exceptions.find((x) => x.rule === rule && x.file === e.file && e.target.kind === 'file' && x.target === e.target.file);
      if (ex) used.add(ex);
      else out.push({ file: e.file, line: e.line, specifier: e.specifier, rule });
    }
  }
  for (const ex of exceptions)
    if (!used.has(ex) && files.includes(ex.file))
      out.push({ file: ex.file, line: 1, specifier: ex.target, rule: `stale exception (no longer needed): ${ex.rule}` });
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
  console.log(`check-imports: layering rules hold (${EXCEPTIONS.length} known exception(s), listed in docs/conventions.md)`);
}
