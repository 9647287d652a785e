// The GB/T 28181 settings of issue 14 (docs/design/gb28181.md): the SIP port, the server's SIP ID and domain, the site password, unknown devices.
import { s } from '../../common/schema';
import { port, setting, text, unsetSetting } from './setting-decl';

export const GB28181_SETTINGS = {
  sipPort: setting({
    schema: port(),
    env: 'ARGUS_SIP_PORT',
    default: 5060,
    description: 'GB/T 28181 SIP port, UDP and TCP, where body cameras, NVRs and platforms register (0 picks a free one)',
  }),
  sipBind: setting({
    schema: text(),
    env: 'ARGUS_SIP_BIND',
    default: undefined,
    defaultText: '= `rtmpBind`',
    description: 'address the SIP listeners bind to (devices on the field network must reach it)',
  }),
  sipServerId: setting({
    schema: s.string({ pattern: /^\d{20}$/ }),
    env: 'ARGUS_SIP_SERVER_ID',
    default: '34020000002000000001',
    description: "Argus's 20-digit GB/T 28181 SIP ID (type code 200 = SIP server); devices are configured with it",
  }),
  sipDomain: setting({
    schema: s.string({ pattern: /^\d{10}$/ }),
    env: 'ARGUS_SIP_DOMAIN',
    default: undefined,
    defaultText: 'the first 10 digits of `sipServerId`',
    description: 'the 10-digit SIP domain (digest realm) devices are configured with',
  }),
  sipSitePassword: unsetSetting({
    schema: s.string({ minLength: 1 }),
    env: 'ARGUS_SIP_SITE_PASSWORD',
    default: undefined,
    defaultText: 'unset: only devices with their own password register (an admin may set one in the console)',
    secret: true,
    description: 'digest password of devices without their own; an unknown device that knows it is held for approval when `gbUnknownDevices` is `hold`',
  }),
  gbUnknownDevices: setting<'refuse' | 'hold'>({
    schema: s.enum(['refuse', 'hold'] as const),
    env: 'ARGUS_GB_UNKNOWN_DEVICES',
    default: 'hold',
    description:
      'a device ID Argus does not know that registers with the site password: `refuse` (403) or `hold` (listed as awaiting approval until an admin accepts it into an organisation node)',
  }),
  gbRegisterFailuresPerMinute: setting({
    schema: s.int({ min: 1, max: 100_000 }),
    env: 'ARGUS_GB_REGISTER_FAILURES_PER_MINUTE',
    default: 20,
    description: 'failed GB/T 28181 registrations from one address within a minute before that address is refused for the rest of the minute',
  }),
  gbMediaTransport: setting<'udp' | 'tcp-passive' | 'tcp-active'>({
    schema: s.enum(['udp', 'tcp-passive', 'tcp-active'] as const),
    env: 'ARGUS_GB_MEDIA_TRANSPORT',
    default: 'udp',
    description:
      'how GB/T 28181 devices send live video (PS over RTP): `udp`, `tcp-passive` (Argus listens, the device connects) or `tcp-active` (Argus connects to the device); RFC 4571 framing over TCP',
  }),
} as const;
