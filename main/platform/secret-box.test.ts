// SecretBox: sealing, key ids, key file creation rules, ARGUS_SECRETS_KEY, wrong/missing keys named, legacy onvif.key values.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSecretKey, keyIdOf, SecretBox, SecretKeyError, secretsFor } from './secret-box';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-secretbox-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('SecretBox', () => {
  it('seals with AES-256-GCM under the current key, names the key in each value, and opens with any key it holds', () => {
    const [k1, k2] = [generateSecretKey(), generateSecretKey()];
    const box = SecretBox.ofKeys([k1]);
    const sealed = box.seal('cam pässword');
    expect(sealed).toMatch(new RegExp(`^s1:${keyIdOf(Buffer.from(k1, 'base64'))}:`));
    expect(sealed).not.toContain('cam');
    expect(box.seal('cam pässword')).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed)).toBe('cam pässword');
    expect(box.isCurrent(sealed)).toBe(true);
    // Mid-rotation: the new key seals, the old one still opens.
    const both = SecretBox.ofKeys([k2, k1]);
    expect(both.open(sealed)).toBe('cam pässword');
    expect(both.isCurrent(sealed)).toBe(false);
    expect(both.isCurrent(both.seal('x'))).toBe(true);
  });

  it('refuses a value sealed with another key or changed, naming the setting the key came from', () => {
    const sealed = SecretBox.ofKeys([generateSecretKey()]).seal('x');
    const other = SecretBox.open({ keyFile: '/nonexistent', envKey: generateSecretKey() }, { mayCreate: false });
    expect(() => other.open(sealed)).toThrow(SecretKeyError);
    expect(() => other.open(sealed)).toThrow(/ARGUS_SECRETS_KEY/);
    const box = SecretBox.ofKeys([generateSecretKey()]);
    const parts = box.seal('secret').split(':');
    parts[4] = Buffer.from('tampered').toString('base64');
    expect(() => box.open(parts.join(':'))).toThrow(/does not open/);
  });

  it('creates the key file (0600) only while nothing is sealed; a missing file with sealed passwords is an error naming secretsKeyFile', () => {
    const d = tmp();
    const cfg = { dataDir: d, secretsKeyFile: path.join(d, 'secrets.key') };
    expect(() => secretsFor(cfg)({ sealed: 3 })).toThrow(/secretsKeyFile.*missing/);
    expect(fs.existsSync(cfg.secretsKeyFile)).toBe(false);
    const box = secretsFor(cfg)({ sealed: 0 });
    expect(box.created).toBe(true);
    expect(fs.statSync(cfg.secretsKeyFile).mode & 0o777).toBe(0o600);
    const again = secretsFor(cfg)({ sealed: 1 });
    expect(again.keyId).toBe(box.keyId);
    expect(again.open(box.seal('pw'))).toBe('pw');
    // A key file someone made readable is narrowed on load.
    fs.chmodSync(cfg.secretsKeyFile, 0o644);
    secretsFor(cfg)({ sealed: 1 });
    expect(fs.statSync(cfg.secretsKeyFile).mode & 0o777).toBe(0o600);
    fs.writeFileSync(cfg.secretsKeyFile, 'not a key\n');
    expect(() => secretsFor(cfg)({ sealed: 1 })).toThrow(/secretsKeyFile .*is not a 32-byte base64 key/);
  });

  it('takes the key from ARGUS_SECRETS_KEY instead of the file (which is then neither read nor created)', () => {
    const d = tmp();
    const key = generateSecretKey();
    const box = secretsFor({ dataDir: d, secretsKeyFile: path.join(d, 'secrets.key'), secretsKey: key })({ sealed: 0 });
    expect(box.origin).toBe('ARGUS_SECRETS_KEY');
    expect(fs.existsSync(path.join(d, 'secrets.key'))).toBe(false);
    expect(SecretBox.ofKeys([key]).open(box.seal('pw'))).toBe('pw');
  });

  it('opens ONVIF passwords sealed before the shared box (v1 under onvif.key), never creating that file', () => {
    const d = tmp();
    const legacy = crypto.randomBytes(32);
    fs.writeFileSync(path.join(d, 'onvif.key'), legacy.toString('base64') + '\n', { mode: 0o600 });
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', legacy, iv);
    const ct = Buffer.concat([c.update('onvif-pw', 'utf8'), c.final()]);
    const v1 = `v1:${iv.toString('base64')}:${c.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
    const box = secretsFor({ dataDir: d, secretsKeyFile: path.join(d, 'secrets.key') })({ sealed: 0 });
    expect(box.open(v1)).toBe('onvif-pw');
    expect(box.isCurrent(v1)).toBe(false); // re-sealed under the secrets key at start
    fs.rmSync(path.join(d, 'onvif.key'));
    const without = secretsFor({ dataDir: d, secretsKeyFile: path.join(d, 'secrets.key') })({ sealed: 1 });
    expect(() => without.open(v1)).toThrow(/onvif\.key.*missing/);
    expect(fs.existsSync(path.join(d, 'onvif.key'))).toBe(false);
  });
});
