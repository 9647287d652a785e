// The site's Ed25519 signing key (audit checkpoints, evidence manifests): <dataDir>/keys/site-ed25519.pem, owner-only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where the key lives under the data directory. */
export const SITE_KEY_FILE = path.join('keys', 'site-ed25519.pem');

export interface SiteKey {
  /** The public half as a PEM "PUBLIC KEY" (SPKI): what `verify-audit` and `verify-export` check against. */
  readonly publicKeyPem: string;
  /** SHA-256 of the public key's SPKI DER, lower-case hex: what an operator compares by eye or over the phone. */
  readonly fingerprint: string;
  /** An Ed25519 signature of the bytes, base64. */
  sign(data: Buffer | string): string;
}

/** SHA-256 hex of a public key's SPKI DER (the fingerprint `SiteKey` reports). */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = crypto.createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex');
}

/** The public key (PEM SPKI) of a PEM that holds a public key, or a private key (whose public half is taken). */
export function publicKeyFromPem(pem: string): string {
  const key = pem.includes('PRIVATE KEY') ? crypto.createPublicKey(crypto.createPrivateKey(pem)) : crypto.createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** Whether `signatureB64` is an Ed25519 signature of the bytes by the key; false (never a throw) for a malformed one. */
export function verifySignature(publicKeyPem: string, data: Buffer | string, signatureB64: string): boolean {
  try {
    const key = crypto.createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return crypto.verify(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

function fromPrivatePem(pem: string, file: string): SiteKey {
  const privateKey = crypto.createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
  const publicKeyPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    publicKeyPem,
    fingerprint: publicKeyFingerprint(publicKeyPem),
    sign: (data) => crypto.sign(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, privateKey).toString('base64'),
  };
}

/**
 * Loads the site key, creating it on first use (directory 0700, file 0600, created exclusively so two processes
 * starting at once end up with the same key). A file that is not an Ed25519 private key stops the start: it is never
 * replaced, since every signature made so far depends on it.
 */
export function openSiteKey(dataDir: string): SiteKey {
  const file = path.join(dataDir, SITE_KEY_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    try {
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return fromPrivatePem(fs.readFileSync(file, 'utf8'), file);
}
