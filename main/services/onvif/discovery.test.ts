// Tests of directed-discovery target expansion and of reading probe answers (scopes, service address).
import { describe, expect, it } from 'vitest';
import { expandTarget, fromScopes, serviceAddress } from './discovery';

describe('expandTarget', () => {
  it('expands single addresses, short ranges and CIDR blocks without network and broadcast', async () => {
    expect(await expandTarget('10.1.2.3')).toEqual(['10.1.2.3']);
    expect(await expandTarget('10.1.2.10-12')).toEqual(['10.1.2.10', '10.1.2.11', '10.1.2.12']);
    expect(await expandTarget('10.1.2.254-10.1.3.1')).toEqual(['10.1.2.254', '10.1.2.255', '10.1.3.0', '10.1.3.1']);
    const block = await expandTarget('192.168.7.0/29');
    expect(block).toEqual(['192.168.7.1', '192.168.7.2', '192.168.7.3', '192.168.7.4', '192.168.7.5', '192.168.7.6']);
    expect(await expandTarget('localhost')).toEqual(['127.0.0.1']);
  });

  it('refuses ranges that are too wide or backwards with a clear message', async () => {
    await expect(expandTarget('10.0.0.0/8')).rejects.toThrow(/at most 1024/);
    await expect(expandTarget('10.0.0.9-10.0.0.1')).rejects.toThrow(/upwards/);
    await expect(expandTarget('not a host!')).rejects.toThrow(/not a host name/);
  });
});

describe('probe answers', () => {
  it('reads manufacturer and model from scopes and picks the address that answered', () => {
    expect(fromScopes(['onvif://www.onvif.org/name/Acme_Optics', 'onvif://www.onvif.org/hardware/Dome%209', 'onvif://www.onvif.org/type/ptz'])).toEqual({
      manufacturer: 'Acme Optics',
      model: 'Dome 9',
    });
    const hit = {
      urn: 'urn:uuid:1',
      xaddrs: ['http://169.254.1.1/onvif/device_service', 'http://10.0.0.7:8080/onvif/device_service'],
      scopes: [],
      from: '10.0.0.7',
      via: 'directed' as const,
    };
    expect(serviceAddress(hit)).toEqual({ host: '10.0.0.7', port: 8080 });
  });
});
