// Builds the console: esbuild bundles renderer/main.tsx into dist/renderer/app.js + app.css and copies the static files.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
export const DEFAULT_OUT_DIR = path.join(ROOT, 'dist', 'renderer');

export interface BuildResult {
  outDir: string;
  /** Files written, relative to outDir. */
  files: string[];
  durationMs: number;
}

function buildOptions(outDir: string): esbuild.BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: { app: path.join(ROOT, 'renderer', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110'],
    minify: true,
    // Written beside the bundle for developers, never linked from it nor served (main/server/static.ts: issue 13 item 6).
    sourcemap: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file' },
    assetNames: 'assets/[name]-[hash]',
    logLevel: 'silent',
    metafile: true,
  };
}

/** Copies index.html and, for the map that comes later, leaflet's CSS and marker images. */
function copyStatic(outDir: string): string[] {
  const written: string[] = [];
  const copy = (from: string, to: string) => {
    fs.mkdirSync(path.dirname(path.join(outDir, to)), { recursive: true });
    fs.copyFileSync(from, path.join(outDir, to));
    written.push(to);
  };
  copy(path.join(ROOT, 'renderer', 'index.html'), 'index.html');
  const leaflet = path.join(ROOT, 'node_modules', 'leaflet', 'dist');
  copy(path.join(leaflet, 'leaflet.css'), 'vendor/leaflet/leaflet.css');
  for (const img of fs.readdirSync(path.join(leaflet, 'images'))) copy(path.join(leaflet, 'images', img), `vendor/leaflet/images/${img}`);
  return written;
}

function describe(outDir: string, meta: esbuild.Metafile | undefined, statics: string[]): string[] {
  const bundled = Object.keys(meta?.outputs ?? {}).map((f) => path.relative(outDir, path.resolve(ROOT, f)).split(path.sep).join('/'));
  return [...bundled, ...statics].sort();
}

/** One production build into outDir (default dist/renderer); the directory is emptied first. */
export async function buildRenderer(outDir: string = DEFAULT_OUT_DIR): Promise<BuildResult> {
  const started = Date.now();
  const dir = path.resolve(outDir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const result = await esbuild.build(buildOptions(dir));
  const statics = copyStatic(dir);
  return { outDir: dir, files: describe(dir, result.metafile, statics), durationMs: Date.now() - started };
}

/** Rebuilds on every change under renderer/ and common/ until the process ends. */
export async function watchRenderer(outDir: string = DEFAULT_OUT_DIR, log: (m: string) => void = console.log): Promise<esbuild.BuildContext> {
  const dir = path.resolve(outDir);
  fs.mkdirSync(dir, { recursive: true });
  let started = Date.now();
  const ctx = await esbuild.context({
    ...buildOptions(dir),
    plugins: [
      {
        name: 'argus-static',
        setup(build) {
          build.onStart(() => {
            started = Date.now();
          });
          build.onEnd((r) => {
            if (r.errors.length) {
              log(`[build-renderer] ${r.errors.length} error(s):\n` + esbuild.formatMessagesSync(r.errors, { kind: 'error' }).join('\n'));
              return;
            }
            copyStatic(dir);
            log(`[build-renderer] rebuilt ${dir} in ${Date.now() - started} ms`);
          });
        },
      },
    ],
  });
  await ctx.watch();
  log(`[build-renderer] watching renderer/ (Ctrl+C to stop)`);
  return ctx;
}

async function cli(): Promise<void> {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const outDir = outIdx >= 0 && args[outIdx + 1] ? path.resolve(args[outIdx + 1]) : DEFAULT_OUT_DIR;
  if (args.includes('--watch')) {
    await watchRenderer(outDir);
    return;
  }
  try {
    const r = await buildRenderer(outDir);
    console.log(`[build-renderer] ${r.files.length} files in ${r.outDir} (${r.durationMs} ms)`);
  } catch (err) {
    const e = err as Error & { errors?: esbuild.Message[] };
    if (e.errors?.length) console.error(esbuild.formatMessagesSync(e.errors, { kind: 'error' }).join('\n'));
    else console.error(`[build-renderer] ${e.stack ?? e}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) void cli();
