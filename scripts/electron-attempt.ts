// `npm start`'s choice between Electron and the headless server: the Electron download is tried once; a failure is
// remembered (node_modules/.cache/argus/electron-download.json, with its time and reason) so that later starts on an
// isolated network go headless at once. `npm start -- --retry-electron` (or ARGUS_RETRY_ELECTRON=1) tries again.
import fs from 'node:fs';
import path from 'node:path';

export const RETRY_FLAG = '--retry-electron';

export interface RememberedFailure {
  atMs: number;
  reason: string;
}

export interface AttemptDeps {
  /** The marker file remembering a failed download. */
  markerFile: string;
  env: Record<string, string | undefined>;
  /** Command-line arguments of `npm start` (RETRY_FLAG is taken out of what goes on to the server). */
  args: string[];
  now: () => number;
  /** Electron's binary when installed, else null. */
  binary: () => string | null;
  /** Whether Electron's installer (node_modules/electron/install.js) is there. */
  installerExists: boolean;
  /** Runs the download (bounded in time); ok false with the first line of its error. */
  download: () => { ok: boolean; message: string };
  log: (m: string) => void;
}

export interface AttemptResult {
  /** Electron's binary to start, or null: run headless. */
  electron: string | null;
  /** Why headless (for the log and tests); null when Electron runs. */
  headlessBecause: 'env' | 'remembered-failure' | 'no-installer' | 'download-failed' | null;
  /** The arguments for the server or Electron, RETRY_FLAG removed. */
  args: string[];
}

export function readFailure(file: string): RememberedFailure | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RememberedFailure>;
    return typeof v.atMs === 'number' && typeof v.reason === 'string' ? { atMs: v.atMs, reason: v.reason } : null;
  } catch {
    return null;
  }
}

function rememberFailure(file: string, f: RememberedFailure): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(f)}\n`);
}

/** Decides, and downloads at most once per remembered state: never again after a failure unless asked to. */
export function electronOrHeadless(d: AttemptDeps): AttemptResult {
  const retry = d.args.includes(RETRY_FLAG) || d.env.ARGUS_RETRY_ELECTRON === '1';
  const args = d.args.filter((a) => a !== RETRY_FLAG);
  if (d.env.ARGUS_HEADLESS) return { electron: null, headlessBecause: 'env', args };
  const installed = d.binary();
  if (installed) return { electron: installed, headlessBecause: null, args };
  if (d.env.CI) return { electron: null, headlessBecause: 'env', args };
  if (!d.installerExists) return { electron: null, headlessBecause: 'no-installer', args };
  const failed = readFailure(d.markerFile);
  if (failed && !retry) {
    d.log(`Electron download failed on ${new Date(failed.atMs).toISOString()} (${failed.reason}); not trying again. To try again: npm start -- ${RETRY_FLAG}`);
    return { electron: null, headlessBecause: 'remembered-failure', args };
  }
  d.log('Electron binary missing: trying to download it once (60 s at most)...');
  const r = d.download();
  const bin = r.ok ? d.binary() : null;
  if (bin) {
    fs.rmSync(d.markerFile, { force: true });
    return { electron: bin, headlessBecause: null, args };
  }
  const reason = r.message || 'the binary is still missing after the download';
  rememberFailure(d.markerFile, { atMs: d.now(), reason });
  d.log(`Electron download failed (${reason}); remembered in ${d.markerFile}: later starts go headless at once (${RETRY_FLAG} tries again)`);
  return { electron: null, headlessBecause: 'download-failed', args };
}
