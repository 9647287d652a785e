// Signed evidence end to end: a real export and a real snapshot are signed with the site key; verify-export accepts them
// with the site's public key and fails any change — files re-hashed with the manifest, watermark/user/case, another key.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SitePublicKey } from '../../common/audit-chain';
import type { Case, ExportJob, Manifest, Snapshot } from '../../common/investigation';
import { openSiteKey } from '../../main/platform/site-key';
import { signManifest } from '../../main/services/investigation/manifest-sign';
import { indexSegments, makeSegments, addStoppedCamera } from './investigation-fixtures';
import { startInvServer, tempDir, until, type InvServer } from './investigation-server';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function verifyCli(dir: string, ...extra: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/verify-export.ts'), dir, ...extra], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const readManifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
const writeManifest = (dir: string, m: Manifest) => fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');

/** Re-hashes every file into the manifest (what a forger does after changing a file), keeping the signature. */
function rehash(dir: string): void {
  const m = readManifest(dir);
  for (const f of m.files) {
    const data = fs.readFileSync(path.join(dir, ...f.path.split('/')));
    f.sha256 = createHash('sha256').update(data).digest('hex');
    f.sizeBytes = data.length;
  }
  writeManifest(dir, m);
}

describe('signed evidence: export and snapshot manifests (real back end, ffmpeg)', () => {
  let dataDir: string;
  let work: string;
  let srv: InvServer;
  let admin: string;
  let pkg: string;
  let snapDir: string;
  let siteKeyFile: string;
  let site: SitePublicKey;

  const copy = (from: string, name: string) => {
    const to = path.join(work, name);
    fs.cpSync(from, to, { recursive: true });
    return to;
  };

  beforeAll(async () => {
    dataDir = tempDir('export-signed');
    work = tempDir('export-signed-work');
    srv = await startInvServer(dataDir);
    admin = await srv.token();
    const cam = await addStoppedCamera(srv.backend.store);
    const t0 = Date.now() - 3_600_000 - (Date.now() % 1000);
    const segs = await makeSegments(srv.backend.config.recordingsDir, cam.id, t0, 2, 6);
    await indexSegments(srv.backend.store, cam.id, segs);
    const kase = (await srv.api<Case>('POST', '/api/v1/cases', admin, { reference: 'CR-2026/0077', title: 'Signed' })).body;
    const r = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
      caseId: kase.id,
      sources: [{ cameraId: cam.id }],
      startMs: t0 + 1000,
      endMs: t0 + 4000,
      watermark: true,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const job = await until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${r.body.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
      'export',
    );
    expect(job.state, job.error ?? '').toBe('done');
    pkg = path.join(dataDir, 'exports', job.dirName);
    const snap = await srv.api<Snapshot>('POST', '/api/v1/snapshots', admin, { cameraId: cam.id, tMs: t0 + 2000, note: 'n', caseId: kase.id });
    expect(snap.status, JSON.stringify(snap.body)).toBe(201);
    const dirs = fs.readdirSync(path.join(dataDir, 'snapshots'), { recursive: true }) as string[];
    snapDir = path.join(dataDir, 'snapshots', path.dirname(dirs.find((d) => d.endsWith('manifest.json'))!));
    site = (await srv.api<SitePublicKey>('GET', '/api/v1/site-key', admin)).body;
    siteKeyFile = path.join(work, 'site.pub.pem');
    fs.writeFileSync(siteKeyFile, site.pem);
  }, 180_000);

  afterAll(async () => {
    await srv?.backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('signs the manifest with the site key; watermark text, exporting user and case are in the signed part', () => {
    const m = readManifest(pkg);
    expect(m.signature).toMatchObject({ algorithm: 'Ed25519', keyFingerprint: site.fingerprint, publicKeyPem: site.pem });
    expect(m).toMatchObject({ caseReference: 'CR-2026/0077', exportedBy: 'admin', watermark: true });
    expect(m.sources[0]!.watermarkText).toBe('CR-2026/0077 | Gate cam | admin');
    const v = verifyCli(pkg, '--public-key', siteKeyFile);
    expect(v.out).toContain(`SIGNATURE OK signed by the given public key (fingerprint ${site.fingerprint})`);
    expect(v.code).toBe(0);
  });

  it('without a key: checked against the embedded key only, and says so with the fingerprint to compare', () => {
    const v = verifyCli(pkg);
    expect(v.code).toBe(0);
    expect(v.out).toContain('SIGNATURE CHECKED AGAINST THE EMBEDDED KEY ONLY');
    expect(v.out).toContain(`fingerprint ${site.fingerprint}`);
    expect(verifyCli(pkg, '--fingerprint', site.fingerprint).code).toBe(0);
    const wrong = verifyCli(pkg, '--fingerprint', 'ab'.repeat(32));
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('is not the one given');
  });

  it('fails a package whose file and manifest were changed together and re-hashed', () => {
    const dir = copy(pkg, 'rehashed');
    const video = readManifest(dir).sources[0]!.file!;
    fs.appendFileSync(path.join(dir, video), Buffer.from([0]));
    rehash(dir);
    for (const extra of [['--public-key', siteKeyFile], []]) {
      const v = verifyCli(dir, ...extra);
      expect(v.out).toContain('FILES OK'); // the hashes were made to match...
      expect(v.out).toContain('SIGNATURE FAIL the signature does not match the manifest'); // ...the signature does not
      expect(v.code).toBe(1);
    }
    // Removing the signature does not help.
    const m = readManifest(dir);
    delete m.signature;
    writeManifest(dir, m);
    const unsigned = verifyCli(dir);
    expect(unsigned.code).toBe(1);
    expect(unsigned.out).toContain('SIGNATURE FAIL the manifest carries no signature');
  });

  it('fails a manifest whose watermark text, exporting user or case was changed', () => {
    const edits: Array<[string, (m: Manifest) => void]> = [
      ['watermark', (m) => (m.sources[0]!.watermarkText = 'CR-2026/0001 | Gate cam | admin')],
      ['user', (m) => (m.exportedBy = 'someone-else')],
      ['case', (m) => (m.caseReference = 'CR-2026/0001')],
    ];
    for (const [name, edit] of edits) {
      const dir = copy(pkg, `edited-${name}`);
      const m = readManifest(dir);
      edit(m);
      writeManifest(dir, m);
      const v = verifyCli(dir, '--public-key', siteKeyFile);
      expect(v.code, name).toBe(1);
      expect(v.out, name).toContain('SIGNATURE FAIL');
    }
  });

  it("fails a package re-signed by another site's key against the site's public key or fingerprint", () => {
    const dir = copy(pkg, 'foreign');
    const video = readManifest(dir).sources[0]!.file!;
    fs.appendFileSync(path.join(dir, video), Buffer.from([1]));
    rehash(dir);
    const other = openSiteKey(path.join(work, 'other-site'));
    writeManifest(dir, signManifest({ ...readManifest(dir), exportedBy: 'forger' }, other));
    const v = verifyCli(dir, '--public-key', siteKeyFile);
    expect(v.code).toBe(1);
    expect(v.out).toContain(`signed by another key (${other.fingerprint})`);
    expect(verifyCli(dir, '--fingerprint', site.fingerprint).code).toBe(1);
    // Against its own embedded key it "verifies" — the printed fingerprint is the forger's, not the site's.
    const embedded = verifyCli(dir);
    expect(embedded.out).toContain(`fingerprint ${other.fingerprint}`);
    expect(embedded.out).not.toContain(site.fingerprint);
  });

  it('signs snapshot manifests likewise', () => {
    expect(verifyCli(snapDir, '--public-key', siteKeyFile).code).toBe(0);
    const changed = copy(snapDir, 'snap-jpg');
    fs.appendFileSync(path.join(changed, 'snapshot.jpg'), Buffer.from([0]));
    rehash(changed);
    expect(verifyCli(changed, '--public-key', siteKeyFile).code).toBe(1);
    const user = copy(snapDir, 'snap-user');
    writeManifest(user, { ...readManifest(user), exportedBy: 'someone-else' });
    expect(verifyCli(user, '--public-key', siteKeyFile).code).toBe(1);
    const other = openSiteKey(path.join(work, 'other-site-2'));
    const foreign = copy(snapDir, 'snap-foreign');
    writeManifest(foreign, signManifest(readManifest(foreign), other));
    expect(verifyCli(foreign, '--public-key', siteKeyFile).code).toBe(1);
  });
});
