// Test helper: a real OpenLDAP slapd (Debian's) on a free 127.0.0.1 port with a temp config and mdb data dir, entries loaded with ldapadd.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../harness';
import { freePort } from './net';

export const SLAPD_BIN = '/usr/sbin/slapd';
const MODULES = '/usr/lib/ldap';
const SCHEMA = '/etc/ldap/schema';

export interface Slapd {
  url: string;
  port: number;
  baseDn: string;
  rootDn: string;
  rootPassword: string;
  /** Adds entries (LDIF) as the root DN. */
  add(ldif: string): void;
  /** Stops slapd (the data stays until close). */
  stop(): Promise<void>;
  /** Stops slapd and removes its directory. */
  close(): Promise<void>;
}

function config(dir: string, baseDn: string, rootDn: string, rootPassword: string): string {
  return [
    `include ${SCHEMA}/core.schema`,
    `include ${SCHEMA}/cosine.schema`,
    `include ${SCHEMA}/inetorgperson.schema`,
    `include ${SCHEMA}/nis.schema`,
    `modulepath ${MODULES}`,
    'moduleload back_mdb',
    'moduleload memberof',
    `pidfile ${dir}/slapd.pid`,
    `argsfile ${dir}/slapd.args`,
    'database mdb',
    'maxsize 10485760',
    `suffix "${baseDn}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${dir}/data`,
    'overlay memberof',
    // Anyone may bind (authentication); only authenticated users read (the search account, users themselves).
    'access to attrs=userPassword by anonymous auth by self read by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

/** Starts slapd with `baseDn` (dc=argus,dc=test) and its organisational units people and groups. */
export async function startSlapd(baseDn = 'dc=argus,dc=test'): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-slapd-'));
  fs.mkdirSync(path.join(dir, 'data'));
  const rootDn = `cn=admin,${baseDn}`;
  const rootPassword = 'slapd-root-secret';
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(conf, config(dir, baseDn, rootDn, rootPassword));
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let proc: ChildProcess | null = null;
  let stderr = '';
  const start = async () => {
    // -d 0: stay in the foreground (a child this test owns and stops), logging nothing but failures.
    proc = spawn(SLAPD_BIN, ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    const p = proc;
    await waitFor(
      () => {
        if (p.exitCode !== null) throw new Error(`slapd exited (${p.exitCode}): ${stderr}`);
        return spawnSync('ldapsearch', ['-x', '-H', url, '-D', rootDn, '-w', rootPassword, '-b', '', '-s', 'base', '1.1'], { encoding: 'utf8' }).status === 0;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'slapd to answer' },
    );
  };
  const stop = async () => {
    const p = proc as ChildProcess | null;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  const add = (ldif: string) => {
    const r = spawnSync('ldapadd', ['-x', '-H', url, '-D', rootDn, '-w', rootPassword], { input: ldif, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ldapadd failed (${r.status}): ${r.stderr}`);
  };
  const dc = baseDn.split(',')[0]!.split('=')[1];
  add(
    `dn: ${baseDn}\nobjectClass: dcObject\nobjectClass: organization\no: Argus test\ndc: ${dc}\n\n` +
      `dn: ou=people,${baseDn}\nobjectClass: organizationalUnit\nou: people\n\n` +
      `dn: ou=groups,${baseDn}\nobjectClass: organizationalUnit\nou: groups\n`,
  );
  return {
    url,
    port,
    baseDn,
    rootDn,
    rootPassword,
    add,
    stop,
    close: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** LDIF of a person (inetOrgPerson) with a password. */
export function personLdif(baseDn: string, uid: string, password: string): string {
  return `dn: uid=${uid},ou=people,${baseDn}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nuserPassword: ${password}\n`;
}

/** LDIF of a groupOfNames with its members (uids under ou=people). */
export function groupLdif(baseDn: string, cn: string, memberUids: string[]): string {
  return `dn: cn=${cn},ou=groups,${baseDn}\nobjectClass: groupOfNames\ncn: ${cn}\n${memberUids.map((u) => `member: uid=${u},ou=people,${baseDn}\n`).join('')}`;
}
