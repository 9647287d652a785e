// Tests of the playback control bodies (MANSRTSP) and of the history INVITE's SDP (s=Playback/Download, u=, t=, y=).
import { describe, expect, it } from 'vitest';
import { mansrtsp, parseMansrtsp } from './records-rtsp';
import { historyOfferSdp, historySsrc, parseHistoryAnswer } from './records-sdp';

describe('MANSRTSP', () => {
  it('builds PLAY, PAUSE, seek, speed and TEARDOWN with the CSeq', () => {
    expect(mansrtsp({ kind: 'pause' }, 3)).toBe('PAUSE MANSRTSP/1.0\r\nCSeq: 3\r\nPauseTime: now\r\n\r\n');
    expect(mansrtsp({ kind: 'play' }, 4)).toBe('PLAY MANSRTSP/1.0\r\nCSeq: 4\r\nRange: npt=now-\r\n\r\n');
    expect(mansrtsp({ kind: 'seek', offsetS: 125.7 }, 5)).toBe('PLAY MANSRTSP/1.0\r\nCSeq: 5\r\nRange: npt=125-\r\n\r\n');
    expect(mansrtsp({ kind: 'scale', scale: 2 }, 6)).toBe('PLAY MANSRTSP/1.0\r\nCSeq: 6\r\nScale: 2.0\r\n\r\n');
    expect(mansrtsp({ kind: 'scale', scale: 0.25 }, 7)).toContain('Scale: 0.25\r\n');
    expect(mansrtsp({ kind: 'teardown' }, 8)).toBe('TEARDOWN MANSRTSP/1.0\r\nCSeq: 8\r\n\r\n');
  });

  it('parses what it builds, and tolerant forms', () => {
    expect(parseMansrtsp(mansrtsp({ kind: 'seek', offsetS: 60 }, 9))).toEqual({ method: 'PLAY', cseq: 9, rangeStart: 60, scale: null });
    expect(parseMansrtsp(mansrtsp({ kind: 'scale', scale: 4 }, 2))).toEqual({ method: 'PLAY', cseq: 2, rangeStart: null, scale: 4 });
    expect(parseMansrtsp('pause MANSRTSP/1.0\ncseq: 1\n')).toEqual({ method: 'PAUSE', cseq: 1, rangeStart: null, scale: null });
    expect(parseMansrtsp('PLAY RTSP/1.0\r\n')).toBeNull();
  });
});

describe('history SDP', () => {
  const base = {
    serverId: '34020000002000000001',
    channelId: '34020000001320000001',
    host: '127.0.0.1',
    port: 30000,
    startMs: 1_796_601_600_000,
    endMs: 1_796_601_660_500,
    ssrc: historySsrc('3402000000', 12),
  };

  it('makes history SSRCs from the domain', () => {
    expect(historySsrc('3402000000', 12)).toBe('1200000012');
    expect(historySsrc('4401020049', 10_003)).toBe('1102000003');
  });

  it('offers Playback over UDP and Download over TCP with Unix-second times', () => {
    const play = historyOfferSdp({ ...base, mode: 'Playback', transport: 'udp' });
    expect(play.split('\r\n')).toEqual([
      'v=0',
      'o=34020000002000000001 0 0 IN IP4 127.0.0.1',
      's=Playback',
      'u=34020000001320000001:0',
      'c=IN IP4 127.0.0.1',
      't=1796601600 1796601661',
      'm=video 30000 RTP/AVP 96 98 97',
      'a=recvonly',
      'a=rtpmap:96 PS/90000',
      'a=rtpmap:98 H264/90000',
      'a=rtpmap:97 MPEG4/90000',
      'y=1200000012',
      'f=',
      '',
    ]);
    const dl = historyOfferSdp({ ...base, mode: 'Download', transport: 'tcp-passive', downloadSpeed: 4 });
    expect(dl).toContain('s=Download\r\n');
    expect(dl).toContain('m=video 30000 TCP/RTP/AVP 96 98 97\r\n');
    expect(dl).toContain('a=setup:passive\r\na=connection:new\r\n');
    expect(dl).toContain('a=downloadspeed:4\r\n');
  });

  it('reads the answer: SSRC, address, port, file size', () => {
    const answer =
      'v=0\r\no=3402 0 0 IN IP4 10.0.0.9\r\ns=Download\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\nm=video 15060 RTP/AVP 96\r\na=sendonly\r\na=filesize:1048576\r\ny=0200000012\r\n';
    expect(parseHistoryAnswer(answer)).toEqual({ ssrc: '0200000012', host: '10.0.0.9', port: 15060, fileSizeBytes: 1_048_576 });
    expect(parseHistoryAnswer('v=0\n')).toEqual({ ssrc: null, host: null, port: null, fileSizeBytes: null });
  });
});
