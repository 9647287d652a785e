import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSiteKey, publicKeyFingerprint, SITE_KEY_FILE, verifySignature } from './site-key';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-sitekey-'));
  dirs.push(d);
  return d;
};

describe('site key', () => {
  it('is created owner-only once and kept across opens', () => {
    const dir = tmp();
    const a = openSiteKey(dir);
    const b = openSiteKey(dir);
    expect(b.publicKeyPem).toBe(a.publicKeyPem);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(publicKeyFingerprint(a.publicKeyPem)).toBe(a.fingerprint);
    expect(fs.statSync(path.join(dir, SITE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(path.join(dir, SITE_KEY_FILE))).mode & 0o777).toBe(0o700);
  });

  it('signs what only its public half verifies, and any change of the bytes fails', () => {
    const k = openSiteKey(tmp());
    const other = openSiteKey(tmp());
    const sig = k.sign('{"a":1}');
    expect(verifySignature(k.publicKeyPem, '{"a":1}', sig)).toBe(true);
    expect(verifySignature(k.publicKeyPem, '{"a":2}', sig)).toBe(false);
    expect(verifySignature(other.publicKeyPem, '{"a":1}', sig)).toBe(false);
    expect(verifySignature(k.publicKeyPem, '{"a":1}', 'not base64 at all')).toBe(false);
    expect(verifySignature('not a key', '{"a":1}', sig)).toBe(false);
  });

  it('refuses to start on a key file that is not an Ed25519 private key, and leaves it alone', () => {
    const dir = tmp();
    const file = path.join(dir, SITE_KEY_FILE);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'garbage');
    expect(() => openSiteKey(dir)).toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('garbage');
  });
});
