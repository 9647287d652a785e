// Signed evidence manifests: Ed25519 (site key) over the canonical JSON of everything in the manifest but its signature.
import { canonicalJson } from '../../../common/canonical-json';
import type { Manifest, ManifestSignature } from '../../../common/investigation';
import { openSiteKey, publicKeyFingerprint, verifySignature, type SiteKey } from '../../platform/site-key';

const keys = new Map<string, SiteKey>();

/** The site key of a data directory, opened once per process. */
export function siteKeyFor(dataDir: string): SiteKey {
  let k = keys.get(dataDir);
  if (!k) keys.set(dataDir, (k = openSiteKey(dataDir)));
  return k;
}

/** The bytes the signature covers: the manifest without `signature`, canonical JSON (files, case, user, watermark, times). */
export function signedPart(m: Manifest): string {
  const { signature: _signature, ...rest } = m;
  return canonicalJson(rest);
}

/** The manifest with its signature (the public key and its fingerprint travel with it, for verify-export). */
export function signManifest(m: Manifest, key: SiteKey): Manifest {
  const unsigned: Manifest = { ...m, signature: undefined };
  const signature: ManifestSignature = {
    algorithm: 'Ed25519',
    keyFingerprint: key.fingerprint,
    publicKeyPem: key.publicKeyPem,
    value: key.sign(signedPart(unsigned)),
  };
  return { ...unsigned, signature };
}

export interface SignatureCheck {
  /** 'ok': signed by the key checked against; 'unsigned': no signature; 'bad': wrong key, or the signed part changed. */
  state: 'ok' | 'unsigned' | 'bad';
  /** Which key was checked against: the one given (--public-key), or the one embedded in the manifest. */
  against: 'given' | 'embedded';
  /** Fingerprint of that key. */
  fingerprint: string | null;
  /** Why it is bad (English, for the CLI). */
  reason?: string;
}

/** Checks the manifest's signature against `publicKeyPem`, or (absent) against the key embedded in the manifest. */
export function checkManifestSignature(m: Manifest, publicKeyPem?: string): SignatureCheck {
  const against = publicKeyPem ? 'given' : 'embedded';
  const sig = m.signature;
  if (!sig) return { state: 'unsigned', against, fingerprint: publicKeyPem ? publicKeyFingerprint(publicKeyPem) : null };
  let pem: string;
  let fingerprint: string;
  try {
    pem = publicKeyPem ?? sig.publicKeyPem;
    fingerprint = publicKeyFingerprint(pem);
  } catch (err) {
    return { state: 'bad', against, fingerprint: null, reason: `unreadable public key: ${(err as Error).message}` };
  }
  if (sig.algorithm !== 'Ed25519') return { state: 'bad', against, fingerprint, reason: `unknown algorithm ${String(sig.algorithm)}` };
  if (!verifySignature(pem, signedPart(m), sig.value))
    return {
      state: 'bad',
      against,
      fingerprint,
      reason:
        publicKeyPem && sig.keyFingerprint !== fingerprint ? `signed by another key (${sig.keyFingerprint})` : 'the signature does not match the manifest',
    };
  return { state: 'ok', against, fingerprint };
}
