// The one place that encrypts TOTP secrets at rest: an AES-256-GCM box under the data directory's key (swap here for a shared key).
import { SecretBox } from '../../services/onvif/secrets';

export interface SecretSealer {
  seal(plain: string): string;
  open(box: string): string;
}

/** Seals with the data directory's secret key (<dataDir>/onvif.key today, owner-only, created on first use). */
export function factorSealer(dataDir: string): SecretSealer {
  const box = SecretBox.open(dataDir);
  return { seal: (plain) => box.encrypt(plain), open: (sealed) => box.decrypt(sealed) };
}
