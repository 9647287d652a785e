// `npm start`: builds the console, then opens Argus in Electron when its binary is present, else runs headless and opens a browser.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { electronOrHeadless } from './electron-attempt';

const ROOT = path.resolve(import.meta.dirname, '..');
const log = (m: string) => console.log(`[start] ${m}`);

function electronBinary(): string | null {
  const pathFile = path.join(ROOT, 'node_modules', 'electron', 'path.txt');
  const dist = path.join(ROOT, 'node_modules', 'electron', 'dist');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(dist, fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

/** Runs Electron's own installer (needs internet; police networks usually have none), at most 60 s. */
function downloadElectron(): { ok: boolean; message: string } {
  const installer = path.join(ROOT, 'node_modules', 'electron', 'install.js');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), env, encoding: 'utf8', timeout: 60_000 });
  const message = r.status === 0 ? '' : (r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n')[0] || `exit ${r.status}`;
  return { ok: r.status === 0, message };
}

function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log(`no display: open ${url} in a browser`);
    return;
  }
  const p = spawn(opener, [url], { stdio: 'ignore', detached: true });
  p.on('error', () => log(`open ${url} in a browser`));
  p.unref();
}

async function main(): Promise<void> {
  const { buildRenderer } = (await import('./build-renderer')) as { buildRenderer: (outDir?: string) => Promise<unknown> };
  await buildRenderer();
  const { electron, args } = electronOrHeadless({
    markerFile: path.join(ROOT, 'node_modules', '.cache', 'argus', 'electron-download.json'),
    env: process.env,
    args: process.argv.slice(2),
    now: Date.now,
    binary: electronBinary,
    installerExists: fs.existsSync(path.join(ROOT, 'node_modules', 'electron', 'install.js')),
    download: downloadElectron,
    log,
  });
  if (electron) {
    const { buildElectron } = await import('./build-electron');
    const outDir = await buildElectron();
    log('starting the Electron console');
    const child = spawn(electron, [path.join(outDir, 'main.cjs'), ...args], { stdio: 'inherit', env: { ...process.env, ARGUS_ROOT: ROOT } });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  log('no Electron binary: starting the headless server; the console opens in your browser');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main', 'server', 'cli.ts'), ...args], {
    cwd: ROOT,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  let opened = false;
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    process.stdout.write(chunk);
    const m = /listening on (http:\/\/\S+)/.exec(chunk);
    if (m && !opened) {
      opened = true;
      openBrowser(m[1]);
    }
  });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((e) => {
  console.error(`[start] ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
