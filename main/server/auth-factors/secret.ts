// The one place that encrypts TOTP secrets at rest: the shared secrets box (main/platform/secret-box.ts), like camera passwords.
import { SecretBox, secretKeySourceOf } from '../../platform/secret-box';

export interface SecretSealer {
  seal(plain: string): string;
  open(box: string): string;
}

/**
 * Seals with the site's secrets key (secretsKeyFile or ARGUS_SECRETS_KEY): the store opened it first and checked every
 * sealed value, TOTP secrets included (storage/sqlite/secrets.ts), and a key rotation re-seals them with the rest.
 */
export function factorSealer(cfg: { dataDir: string; secretsKeyFile: string; secretsKey?: string }): SecretSealer {
  let box: SecretBox | null = null;
  const get = () => (box ??= SecretBox.open(secretKeySourceOf(cfg), { mayCreate: true }));
  return { seal: (plain) => get().seal(plain), open: (sealed) => get().open(sealed) };
}
