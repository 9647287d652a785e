// API types of the cascade to superior GB/T 28181 platforms (级联): the upper platform's settings (password write-only) and the channels shared with it.
import { s, type Infer } from './schema';

const gbId = (description: string) => s.string({ pattern: /^\d{20}$/, description });

export const UpperPlatformBody = s.object({
  name: s.string({ minLength: 1, maxLength: 60 }),
  gbId: gbId("the upper platform's 20-digit SIP ID"),
  domain: s.string({ pattern: /^\d{1,20}$/, description: 'its SIP domain (realm), usually 10 digits' }),
  host: s.string({ minLength: 1, maxLength: 253, pattern: /^[A-Za-z0-9.:-]+$/ }),
  port: s.int({ min: 1, max: 65535 }),
  transport: s.enum(['udp', 'tcp'] as const),
  password: s.optional(s.nullable(s.string({ maxLength: 256, description: 'write-only: stored encrypted, never returned; omitted keeps it, null clears it' }))),
  registerExpiresS: s.int({ min: 30, max: 86_400, description: 'Expires asked for in REGISTER (s)' }),
  keepaliveS: s.int({ min: 1, max: 3600, description: 'Keepalive MESSAGE interval (s)' }),
  enabled: s.boolean('register to it while Argus runs'),
});
export type UpperPlatformBody = Infer<typeof UpperPlatformBody>;

export const SharedChannelsBody = s.object({
  channels: s.array(s.object({ channelId: s.int({ min: 1 }), gbId: gbId('the 20-digit ID the upper platform sees the channel by') }), { maxItems: 10_000 }),
});
export type SharedChannelsBody = Infer<typeof SharedChannelsBody>;

export type UpperPlatformStatus =
  | { state: 'idle' }
  | { state: 'registering'; sinceMs: number }
  | { state: 'registered'; sinceMs: number; expiresMs: number }
  | { state: 'failed'; sinceMs: number; reason: string; retryInMs: number };

export interface UpperPlatformView {
  id: number;
  name: string;
  gbId: string;
  domain: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  hasPassword: boolean;
  registerExpiresS: number;
  keepaliveS: number;
  enabled: boolean;
  createdMs: number;
  updatedMs: number;
  status: UpperPlatformStatus;
  shared: Array<{ channelId: number; gbId: string }>;
}
