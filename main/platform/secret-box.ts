// The one SecretBox: AES-256-GCM sealing of stored camera/device passwords under the secrets key (key file or ARGUS_SECRETS_KEY).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A key problem (missing, malformed, not the one the stored passwords were sealed with): the message names the setting. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** Where the key comes from: the key itself (ARGUS_SECRETS_KEY) or the key file (secretsKeyFile). */
export interface SecretKeySource {
  /** Absolute path of the key file (setting secretsKeyFile). */
  keyFile: string;
  /** The key(s) from ARGUS_SECRETS_KEY, base64, newest first, comma-separated; when set the file is not used. */
  envKey?: string;
  /** The legacy ONVIF key file (<dataDir>/onvif.key): read only, for passwords sealed before the shared box (format v1). */
  legacyOnvifKeyFile?: string;
}

const KEY_BYTES = 32;
const FORMAT = 's1';

/** A new random key, base64 (what a key file or ARGUS_SECRETS_KEY holds). */
export function generateSecretKey(): string {
  return crypto.randomBytes(KEY_BYTES).toString('base64');
}

/** Short public id of a key, stored beside each ciphertext: says which key sealed it (rotation, wrong-key errors). */
export function keyIdOf(key: Buffer): string {
  return crypto.createHash('sha256').update('argus-secrets-kid|').update(key).digest('hex').slice(0, 8);
}

function parseKeys(text: string, where: string): Buffer[] {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('#'));
  if (parts.length === 0) throw new SecretKeyError(`${where} holds no key`);
  return parts.map((p) => {
    const k = Buffer.from(p, 'base64');
    if (k.length !== KEY_BYTES || k.toString('base64') !== p) throw new SecretKeyError(`${where} is not a ${KEY_BYTES}-byte base64 key`);
    return k;
  });
}

/** Writes a key file atomically, owner-only (0600): a temporary file in the same directory, fsynced, renamed over. */
export function writeKeyFile(file: string, keysBase64: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, keysBase64.join('\n') + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export class SecretBox {
  private legacy: Buffer | null | undefined;

  private constructor(
    /** The current key (seals), then older ones still accepted for opening (mid-rotation). */
    private readonly keys: readonly Buffer[],
    /** The setting the key came from, for error messages ("ARGUS_SECRETS_KEY", "secretsKeyFile /x/secrets.key"). */
    readonly origin: string,
    private readonly src: SecretKeySource,
    /** True when this start created the key file. */
    readonly created: boolean,
  ) {}

  /**
   * Loads the key. Without ARGUS_SECRETS_KEY the key file is read; it is created (random, 0600) only when `mayCreate`
   * (nothing sealed is stored yet), else a missing file is an error naming the setting: a new key could not open them.
   */
  static open(src: SecretKeySource, opts: { mayCreate: boolean }): SecretBox {
    if (src.envKey !== undefined && src.envKey.trim() !== '') {
      return new SecretBox(parseKeys(src.envKey, 'ARGUS_SECRETS_KEY'), 'ARGUS_SECRETS_KEY', src, false);
    }
    const origin = `secretsKeyFile ${src.keyFile}`;
    let created = false;
    if (!fs.existsSync(src.keyFile)) {
      if (!opts.mayCreate) {
        throw new SecretKeyError(
          `the secrets key file ${src.keyFile} (setting secretsKeyFile, or give the key in ARGUS_SECRETS_KEY) is missing, and the database ` +
            `holds passwords sealed with it: restore the key file from its backup (docs/security.md "Key files"); nothing was changed`,
        );
      }
      writeKeyFile(src.keyFile, [generateSecretKey()]);
      created = true;
    }
    const st = fs.statSync(src.keyFile);
    if ((st.mode & 0o077) !== 0) fs.chmodSync(src.keyFile, 0o600);
    return new SecretBox(parseKeys(fs.readFileSync(src.keyFile, 'utf8'), origin), origin, src, created);
  }

  /** A box over given keys (tests, the rotation command). */
  static ofKeys(keysBase64: readonly string[], origin = 'test'): SecretBox {
    return new SecretBox(parseKeys(keysBase64.join(','), origin), origin, { keyFile: '' }, false);
  }

  /** Id of the current key. */
  get keyId(): string {
    return keyIdOf(this.keys[0]!);
  }

  seal(plain: string): string {
    const key = this.keys[0]!;
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return [FORMAT, keyIdOf(key), iv.toString('base64'), c.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  /** True when `sealed` is sealed under the current key (nothing to redo). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${FORMAT}:${this.keyId}:`);
  }

  /** The plain text; a SecretKeyError naming the setting when no key of this box opens it. */
  open(sealed: string): string {
    const parts = sealed.split(':');
    if (parts[0] === 'v1' && parts.length === 4) return this.openLegacy(parts);
    if (parts[0] !== FORMAT || parts.length !== 5) throw new SecretKeyError('a stored password has an unknown format');
    const [, kid, iv, tag, ct] = parts as [string, string, string, string, string];
    const key = this.keys.find((k) => keyIdOf(k) === kid);
    if (!key) {
      throw new SecretKeyError(
        `a stored password was sealed with secrets key ${kid}, but ${this.origin} holds ${this.keys.map(keyIdOf).join(', ')}: ` +
          `configure the right key (docs/security.md "Key files"); the stored passwords were left as they are`,
      );
    }
    return decrypt(key, iv, tag, ct, this.origin);
  }

  /** ONVIF passwords sealed before the shared box: v1 under <dataDir>/onvif.key (read, never created). */
  private openLegacy(parts: string[]): string {
    if (this.legacy === undefined) {
      const f = this.src.legacyOnvifKeyFile;
      this.legacy = f && fs.existsSync(f) ? (parseKeys(fs.readFileSync(f, 'utf8'), f)[0] ?? null) : null;
    }
    if (!this.legacy) throw new SecretKeyError(`an ONVIF password is sealed with ${this.src.legacyOnvifKeyFile ?? 'onvif.key'}, which is missing: restore it`);
    return decrypt(this.legacy, parts[1]!, parts[2]!, parts[3]!, this.src.legacyOnvifKeyFile ?? 'onvif.key');
  }
}

function decrypt(key: Buffer, iv: string, tag: string, ct: string, origin: string): string {
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]).toString('utf8');
  } catch {
    throw new SecretKeyError(`a stored password does not open with the key of ${origin} (wrong key or damaged value); it was left as it is`);
  }
}

/** The key source of a configuration: secretsKeyFile, ARGUS_SECRETS_KEY, and the legacy ONVIF key beside the data. */
export function secretKeySourceOf(cfg: { dataDir: string; secretsKeyFile: string; secretsKey?: string }): SecretKeySource {
  return { keyFile: cfg.secretsKeyFile, envKey: cfg.secretsKey, legacyOnvifKeyFile: path.join(cfg.dataDir, 'onvif.key') };
}

/** The store's `secrets` option: the configured box, its key file created only while nothing sealed is stored. */
export function secretsFor(cfg: { dataDir: string; secretsKeyFile: string; secretsKey?: string }): (stored: { sealed: number }) => SecretBox {
  return ({ sealed }) => SecretBox.open(secretKeySourceOf(cfg), { mayCreate: sealed === 0 });
}
