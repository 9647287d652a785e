// Test helper: runs a command as the leader of its own process group and stops the whole group (gpsfake's gpsd, ...), so nothing it started outlives the test.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Group {
  proc: ChildProcess;
  /** Resolves when the leader has exited (rejects after timeoutMs). */
  exited(timeoutMs: number): Promise<number | null>;
  /** SIGTERM to the group, SIGKILL to what is left after 5 s; resolves when the leader is gone. */
  stop(): Promise<void>;
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // ESRCH: the group is gone
  }
}

/** Groups not yet stopped: a detached group is out of reach of the test runner's own group, so it is killed when this worker exits. */
const live = new Set<number>();
let exitHook = false;

export function spawnGroup(cmd: string, args: string[], cwd: string, lines: string[], env?: NodeJS.ProcessEnv): Group {
  const proc = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid !== undefined) live.add(proc.pid);
  if (!exitHook) {
    exitHook = true;
    // A worker that ends without its afterAll (a crash, a timeout) must not leave gpsfake's gpsd behind either.
    process.once('exit', () => {
      for (const pid of live) signalGroup(pid, 'SIGKILL');
    });
  }
  for (const s of [proc.stdout!, proc.stderr!]) s.on('data', (d: Buffer) => lines.push(...String(d).split('\n').filter(Boolean)));
  const exit = new Promise<number | null>((resolve) => {
    if (proc.exitCode !== null) resolve(proc.exitCode);
    proc.once('exit', (code) => resolve(code));
  });
  const exited = (timeoutMs: number) =>
    Promise.race([
      exit,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${cmd} still running after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  return {
    proc,
    exited,
    async stop() {
      const pid = proc.pid;
      if (pid === undefined) return;
      signalGroup(pid, 'SIGTERM');
      await exited(5000).catch(() => signalGroup(pid, 'SIGKILL'));
      await exit;
      // The leader may be gone while a member (gpsd under gpsfake) still runs.
      signalGroup(pid, 'SIGKILL');
      live.delete(pid);
    },
  };
}
