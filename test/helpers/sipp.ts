// Test helper: runs SIPp (Debian sip-tester) with a scenario of test/sipp/ against a SIP port on 127.0.0.1 and reports its outcome.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SIPP_DIR = fileURLToPath(new URL('../sipp/', import.meta.url));

export interface SippRun {
  /** 0: every call passed; 1: some failed; other: SIPp could not run. */
  code: number;
  successful: number;
  failed: number;
  output: string;
}

/** Runs `sipp` to completion (killed after timeoutMs); `keys` become -key name value (the scenario's [name]). */
export function runSipp(o: {
  port: number;
  scenario: string;
  calls: number;
  rate?: number;
  limit?: number;
  transport?: 'udp' | 'tcp';
  keys: Record<string, string>;
  auth?: { user: string; password: string };
  timeoutMs?: number;
}): Promise<SippRun> {
  const args = [
    `127.0.0.1:${o.port}`,
    '-sf',
    `${SIPP_DIR}${o.scenario}`,
    '-m',
    String(o.calls),
    '-r',
    String(o.rate ?? 10),
    '-l',
    String(o.limit ?? 100),
    '-i',
    '127.0.0.1',
    '-t',
    o.transport === 'tcp' ? 't1' : 'u1',
    '-nostdin',
    '-recv_timeout',
    '10000',
    '-timeout',
    `${Math.ceil((o.timeoutMs ?? 60_000) / 1000)}s`,
    '-timeout_error',
    ...Object.entries(o.keys).flatMap(([k, v]) => ['-key', k, v]),
    ...(o.auth ? ['-au', o.auth.user, '-ap', o.auth.password] : []),
  ];
  return new Promise((resolve, reject) => {
    const p = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: SIPP_DIR });
    let output = '';
    p.stdout.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const killer = setTimeout(() => p.kill('SIGKILL'), (o.timeoutMs ?? 60_000) + 15_000);
    p.once('error', (e) => {
      clearTimeout(killer);
      reject(e);
    });
    p.once('close', (code) => {
      clearTimeout(killer);
      const count = (label: string) => Number(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(output)?.[1] ?? -1);
      resolve({ code: code ?? -1, successful: count('Successful call'), failed: count('Failed call'), output });
    });
  });
}
