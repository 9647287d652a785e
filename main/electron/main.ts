// Electron shell: starts the back end as a separate Node process, then shows the console (plus wall windows on other displays).
import { app, BrowserWindow, ipcMain, screen } from 'electron';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WALL_CHANNELS, type WallWindowInfo } from './bridge';

const ROOT = process.env.ARGUS_ROOT ?? path.resolve(__dirname, '..', '..');
const log = (m: string) => console.log(`[electron] ${m}`);

let backend: ChildProcess | null = null;
let consoleUrl = '';
const wallWindows = new Map<number, BrowserWindow>();
const statePath = () => path.join(app.getPath('userData'), 'wall-windows.json');

/** Starts `npm run server` equivalent and resolves with the console URL printed by the back end. */
function startBackend(args: string[]): Promise<string> {
  // Development: the system's Node. Packaged: Electron's own binary as Node (native modules are rebuilt for it by
  // electron-builder), the data in the user's profile, and the ffmpeg shipped in resources/ffmpeg when present.
  const env: NodeJS.ProcessEnv = { ...process.env };
  let node = process.env.ARGUS_NODE ?? 'node';
  if (app.isPackaged) {
    node = process.execPath;
    env.ELECTRON_RUN_AS_NODE = '1';
    env.ARGUS_DATA_DIR ??= path.join(app.getPath('userData'), 'data');
    const exe = process.platform === 'win32' ? '.exe' : '';
    const shipped = path.join(process.resourcesPath, 'ffmpeg');
    if (fs.existsSync(path.join(shipped, `ffmpeg${exe}`))) {
      env.ARGUS_FFMPEG_PATH ??= path.join(shipped, `ffmpeg${exe}`);
      env.ARGUS_FFPROBE_PATH ??= path.join(shipped, `ffprobe${exe}`);
    }
  }
  backend = spawn(node, ['--import', 'tsx', path.join(ROOT, 'main', 'server', 'cli.ts'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    backend!.stdout!.setEncoding('utf8');
    backend!.stdout!.on('data', (chunk: string) => {
      process.stdout.write(chunk);
      buf += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]);
    });
    backend!.on('exit', (code) => reject(new Error(`back end exited (code ${code})`)));
  });
}

function secureWebPreferences(): Electron.WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    preload: path.join(__dirname, 'preload.cjs'),
  };
}

function openConsole(): void {
  const win = new BrowserWindow({ width: 1600, height: 900, backgroundColor: '#11151c', title: 'Argus', webPreferences: secureWebPreferences() });
  void win.loadURL(consoleUrl);
  // Never navigate away from the console or open new windows from web content.
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(consoleUrl)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function openWall(displayId: number): WallWindowInfo {
  const existing = wallWindows.get(displayId);
  if (existing && !existing.isDestroyed()) {
    existing.focus();
    return { displayId, open: true };
  }
  const display = screen.getAllDisplays().find((d) => d.id === displayId) ?? screen.getPrimaryDisplay();
  const win = new BrowserWindow({ ...display.bounds, fullscreen: true, backgroundColor: '#000000', webPreferences: secureWebPreferences() });
  void win.loadURL(`${consoleUrl}/#wall=${displayId}`);
  wallWindows.set(displayId, win);
  win.on('closed', () => {
    wallWindows.delete(displayId);
    saveWalls();
  });
  saveWalls();
  return { displayId, open: true };
}

function saveWalls(): void {
  fs.writeFileSync(statePath(), JSON.stringify([...wallWindows.keys()]));
}

function restoreWalls(): void {
  try {
    const ids = JSON.parse(fs.readFileSync(statePath(), 'utf8')) as number[];
    const present = new Set(screen.getAllDisplays().map((d) => d.id));
    for (const id of ids) if (present.has(id)) openWall(id);
  } catch {
    /* first start */
  }
}

ipcMain.handle(WALL_CHANNELS.listDisplays, () =>
  screen.getAllDisplays().map((d) => ({ id: d.id, label: d.label || `${d.size.width}x${d.size.height}`, primary: d.id === screen.getPrimaryDisplay().id })),
);
ipcMain.handle(WALL_CHANNELS.openWall, (_e, displayId: unknown) => {
  if (typeof displayId !== 'number') throw new Error('displayId must be a number');
  return openWall(displayId);
});

void app.whenReady().then(async () => {
  try {
    consoleUrl = await startBackend(process.argv.slice(process.defaultApp ? 2 : 1).filter((a) => a.startsWith('--') && !a.startsWith('--inspect')));
  } catch (e) {
    log(`cannot start the back end: ${(e as Error).message}`);
    app.exit(1);
    return;
  }
  openConsole();
  restoreWalls();
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (e) => {
  if (backend && backend.exitCode === null) {
    e.preventDefault();
    backend.once('exit', () => app.exit(0));
    backend.kill('SIGTERM');
    backend = null;
  }
});
