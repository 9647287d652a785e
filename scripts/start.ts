// `npm start`: builds the console, then opens Argus in Electron when its binary is present, else runs headless and opens a browser.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const log = (m: string) => console.log(`[start] ${m}`);

function electronBinary(): string | null {
  const pathFile = path.join(ROOT, 'node_modules', 'electron', 'path.txt');
  const dist = path.join(ROOT, 'node_modules', 'electron', 'dist');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(dist, fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

/** Tries to fetch Electron's binary once (needs internet; police networks usually have none). */
function tryInstallElectron(): boolean {
  if (process.env.ARGUS_HEADLESS || process.env.CI) return false;
  const installer = path.join(ROOT, 'node_modules', 'electron', 'install.js');
  if (!fs.existsSync(installer)) return false;
  log('Electron binary missing: trying to download it (60 s at most)...');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), env, encoding: 'utf8', timeout: 60_000 });
  const ok = r.status === 0 && electronBinary() !== null;
  if (!ok) log(`Electron download failed (${(r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n')[0] || `exit ${r.status}`})`);
  return ok;
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
  let electron = process.env.ARGUS_HEADLESS ? null : electronBinary();
  if (!electron && !process.env.ARGUS_HEADLESS && tryInstallElectron()) electron = electronBinary();
  if (electron) {
    const { buildElectron } = await import('./build-electron');
    const outDir = await buildElectron();
    log('starting the Electron console');
    const child = spawn(electron, [path.join(outDir, 'main.cjs'), ...args], { stdio: 'inherit', env: { ...process.env, ARGUS_ROOT: ROOT } });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  log('no Electron binary: starting the headless server; the console opens in your browser');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main', 'server', 'cli.ts'), ...args], { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'] });
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
