// `npm run make-cert -- --host argus.local --ip 10.0.0.5 --out DIR`: a site CA (kept, reused) and a server certificate with those names, made with the openssl command line.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface MakeCertOptions {
  /** DNS names of the server (the first is its common name). */
  hosts: string[];
  /** IP addresses the server is reached at. */
  ips: string[];
  /** Folder written: ca.pem, ca-key.pem (made once, reused), server.pem (leaf + CA), server-key.pem. */
  outDir: string;
  /** Validity of the server certificate (default 397 days; the CA's is 10 years). */
  days?: number;
  openssl?: string;
}

export interface MadeCert {
  caFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
  /** True when ca.pem was made now (false: an existing CA signed the new server certificate). */
  newCa: boolean;
  /** SHA-256 of the server certificate, colon-separated hex (the agent's --pin accepts it). */
  fingerprint256: string;
  /** SHA-256 of the server's public key (SPKI), base64: `--pin sha256/<this>` and Chromium's SPKI list. */
  spkiSha256: string;
  caFingerprint256: string;
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;

export function makeCert(o: MakeCertOptions): MadeCert {
  const openssl = o.openssl ?? 'openssl';
  if (o.hosts.length === 0 && o.ips.length === 0) throw new Error('give at least one --host or --ip (the names units and consoles use to reach Argus)');
  for (const h of o.hosts) if (!/^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(h)) throw new Error(`--host ${JSON.stringify(h)} is not a DNS name`);
  for (const ip of o.ips) if (!IPV4.test(ip) && !/^[0-9a-fA-F:]+$/.test(ip)) throw new Error(`--ip ${JSON.stringify(ip)} is not an IP address`);
  fs.mkdirSync(o.outDir, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(o.outDir, name);
  const run = (args: string[]) => execFileSync(openssl, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const cn = o.hosts[0] ?? o.ips[0];
  const newCa = !fs.existsSync(f('ca.pem'));
  if (newCa) {
    run(['req', '-x509', ...ecKey, '-keyout', f('ca-key.pem'), '-out', f('ca.pem'), '-days', '3650', '-subj', `/CN=Argus site CA ${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']); // prettier-ignore
    fs.chmodSync(f('ca-key.pem'), 0o600);
  } else if (!fs.existsSync(f('ca-key.pem')))
    throw new Error(`${f('ca.pem')} exists but ${f('ca-key.pem')} does not: put the CA's key back or start in an empty folder`);
  const tmpKey = f('server-key.pem.new');
  const csr = f('server.csr');
  const ext = f('server.ext');
  const san = [...o.hosts.map((h) => `DNS:${h}`), ...o.ips.map((ip) => `IP:${ip}`)].join(',');
  fs.writeFileSync(
    ext,
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
  );
  try {
    run(['req', ...ecKey, '-keyout', tmpKey, '-out', csr, '-subj', `/CN=${cn}`]);
    fs.chmodSync(tmpKey, 0o600);
    const serial = '0x' + crypto.randomBytes(16).toString('hex');
    const leaf = f('server-leaf.pem');
    run(['x509', '-req', '-in', csr, '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-set_serial', serial, '-days', String(o.days ?? 397), '-sha256', '-extfile', ext, '-out', leaf]); // prettier-ignore
    // The served file carries the chain (leaf, then the CA) so clients that trust the CA can build the path.
    fs.writeFileSync(f('server.pem'), fs.readFileSync(leaf, 'utf8') + fs.readFileSync(f('ca.pem'), 'utf8'));
    fs.rmSync(leaf);
    fs.renameSync(tmpKey, f('server-key.pem'));
  } finally {
    for (const x of [csr, ext, tmpKey]) fs.rmSync(x, { force: true });
  }
  const x509 = new crypto.X509Certificate(fs.readFileSync(f('server.pem')));
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return {
    caFile: f('ca.pem'),
    caKeyFile: f('ca-key.pem'),
    certFile: f('server.pem'),
    keyFile: f('server-key.pem'),
    newCa,
    fingerprint256: x509.fingerprint256,
    spkiSha256: crypto.createHash('sha256').update(spki).digest('base64'),
    caFingerprint256: new crypto.X509Certificate(fs.readFileSync(f('ca.pem'))).fingerprint256,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', multiple: true, default: [] },
      ip: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.out) {
    console.log(
      'usage: npm run make-cert -- --host NAME [--host NAME...] [--ip ADDR...] --out DIR [--days N]\n' +
        'Makes DIR/ca.pem + ca-key.pem (once; reused to sign new server certificates) and DIR/server.pem + server-key.pem. See docs/tls.md.',
    );
    process.exit(values.help ? 0 : 2);
  }
  const r = makeCert({ hosts: values.host, ips: values.ip, outDir: path.resolve(values.out), days: values.days ? Number(values.days) : undefined });
  console.log(`${r.newCa ? 'made a new site CA' : 'signed with the existing site CA'}: ${r.caFile} (SHA-256 ${r.caFingerprint256})`);
  console.log(`  keep ${r.caKeyFile} offline (it signs the next server certificate); install ${r.caFile} on consoles and agents`);
  console.log(`server certificate: ${r.certFile}, key: ${r.keyFile}`);
  console.log(`  in argus.json: "tlsCertFile": "${r.certFile}", "tlsKeyFile": "${r.keyFile}"`);
  console.log(`  certificate SHA-256: ${r.fingerprint256}`);
  console.log(`  agent pin:           --pin sha256/${r.spkiSha256}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(`make-cert: ${(err as Error).message}`);
    process.exit(1);
  }
}
