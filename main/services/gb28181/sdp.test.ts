// SDP of GB/T 28181 media: the offer's lines per transport and session, answers as devices write them, SSRCs per the standard.
import { describe, expect, it } from 'vitest';
import { SsrcPool, buildOffer, inviteSubject, parseAnswer } from './sdp';

const base = { serverId: '34020000002000000001', host: '127.0.0.1', port: 30000, ssrc: '0200000001', session: 'Play' as const };

describe('buildOffer', () => {
  it('UDP live: PS/90000 on 96, recvonly, t=0 0, y= last', () => {
    const lines = buildOffer({ ...base, transport: 'udp' }).split('\r\n');
    expect(lines).toEqual([
      'v=0',
      'o=34020000002000000001 0 0 IN IP4 127.0.0.1',
      's=Play',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=video 30000 RTP/AVP 96 97 98',
      'a=rtpmap:96 PS/90000',
      'a=rtpmap:98 H264/90000',
      'a=rtpmap:97 MPEG4/90000',
      'a=recvonly',
      'y=0200000001',
      '',
    ]);
  });

  it('TCP: TCP/RTP/AVP with a=setup (Argus listens: passive; Argus connects: active, port 9) and a=connection:new', () => {
    const passive = buildOffer({ ...base, transport: 'tcp-passive' });
    expect(passive).toContain('m=video 30000 TCP/RTP/AVP 96 97 98\r\n');
    expect(passive).toContain('a=setup:passive\r\n');
    expect(passive).toContain('a=connection:new\r\n');
    const active = buildOffer({ ...base, transport: 'tcp-active' });
    expect(active).toContain('m=video 9 TCP/RTP/AVP 96 97 98\r\n');
    expect(active).toContain('a=setup:active\r\n');
  });

  it('playback and download: s=, u=, t= and downloadspeed as parameters', () => {
    const t = buildOffer({
      ...base,
      transport: 'udp',
      ssrc: '1200000002',
      session: 'Download',
      uri: '34020000001320000001:0',
      startS: 1700000000,
      stopS: 1700000600,
      downloadSpeed: 4,
    });
    expect(t).toMatch(/^s=Download\r\nu=34020000001320000001:0\r\n/m);
    expect(t).toContain('t=1700000000 1700000600\r\n');
    expect(t).toMatch(/a=downloadspeed:4\r\ny=1200000002\r\n$/);
  });
});

describe('parseAnswer', () => {
  it('reads a device answer with LF line ends, media-level c=, y= and f=', () => {
    const a = parseAnswer(
      [
        'v=0',
        'o=34020000001320000001 0 0 IN IP4 192.168.1.64',
        's=Play',
        'c=IN IP4 192.168.1.64',
        't=0 0',
        'm=video 15060 TCP/RTP/AVP 96',
        'c=IN IP4 192.168.1.65',
        'a=sendonly',
        'a=rtpmap:96 PS/90000',
        'a=setup:passive',
        'a=connection:new',
        'y=0200000001',
        'f=v/2/5/25/1/4000a/1/8/1',
        '',
      ].join('\n'),
    );
    expect(a).toEqual({
      host: '192.168.1.65',
      port: 15060,
      transport: 'tcp',
      setup: 'passive',
      ssrc: 200000001,
      payloads: [96],
      format: 'v/2/5/25/1/4000a/1/8/1',
    });
  });

  it('takes session c= when the media has none, an absent y= as null, and refuses an answer without media', () => {
    const a = parseAnswer('v=0\r\no=x 0 0 IN IP4 10.0.0.1\r\ns=Play\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=video 6000 RTP/AVP 98\r\n');
    expect([a.host, a.port, a.transport, a.ssrc, a.payloads]).toEqual(['10.0.0.2', 6000, 'udp', null, [98]]);
    expect(() => parseAnswer('v=0\r\ns=Play\r\n')).toThrow(/no media/);
  });
});

describe('SsrcPool', () => {
  it('10 digits: 0 live / 1 history, digits 4–8 of the domain, a sequence unique among open streams', () => {
    const pool = new SsrcPool('3402000000');
    const a = pool.take('live');
    const b = pool.take('live');
    expect([a, b, pool.take('history')]).toEqual(['0200000001', '0200000002', '1200000003']);
    pool.release(a);
    const seen = new Set<string>();
    for (let i = 0; i < 9998; i++) seen.add(pool.take('live'));
    expect(seen.has(a)).toBe(true);
    expect(seen.has(b)).toBe(false);
    expect(() => pool.take('live')).toThrow(/no free SSRC/);
  });

  it('the Subject names the channel with the SSRC and the server', () => {
    expect(inviteSubject('34020000001320000001', '0200000001', '34020000002000000001')).toBe('34020000001320000001:0200000001,34020000002000000001:0');
  });
});
