// Tile state and status line from the player phase and the source's liveness.
import { describe, expect, it } from 'vitest';
import { REASON_MAX_CHARS, shortReason, tileView } from './tile-view';

describe('tileView', () => {
  it('is idle without a source', () => {
    expect(tileView(false, null, null)).toEqual({ state: 'idle', line: null, tone: null });
  });

  it('plays when frames decode, even if the status has not caught up', () => {
    expect(tileView(true, { kind: 'playing', sinceMs: 1, stream: 'sub' }, false).state).toBe('playing');
  });

  it('says offline when the server reports the source down, reconnecting when the stream dropped', () => {
    expect(tileView(true, { kind: 'retrying', attempt: 2, retryAtMs: 5, reason: 'x' }, false)).toMatchObject({ state: 'offline', line: 'live.status.offline' });
    expect(tileView(true, { kind: 'retrying', attempt: 2, retryAtMs: 5, reason: 'x' }, true)).toMatchObject({
      state: 'connecting',
      line: 'live.status.reconnecting',
    });
    expect(tileView(true, { kind: 'connecting', attempt: 1 }, null)).toMatchObject({ state: 'connecting', line: 'live.status.connecting' });
    expect(tileView(true, { kind: 'connecting', attempt: 3 }, true)).toMatchObject({ line: 'live.status.reconnecting' });
  });

  it('says disabled, not offline, for a source an admin turned off (without a reason of its own)', () => {
    expect(tileView(true, { kind: 'retrying', attempt: 2, retryAtMs: 5, reason: 'x' }, false, 'Camera refused the connection', true)).toEqual({
      state: 'offline',
      line: 'live.status.disabled',
      tone: 'off',
    });
    expect(tileView(true, { kind: 'connecting', attempt: 1 }, null, null, true)).toMatchObject({ line: 'live.status.disabled' });
    expect(tileView(false, null, false, null, true)).toMatchObject({ state: 'idle' });
  });

  it('says in words why a stream cannot be shown (codec), whatever the liveness', () => {
    expect(tileView(true, { kind: 'unsupported', reason: { why: 'not-relayed', codec: 'hevc' } }, true)).toMatchObject({
      state: 'unsupported',
      unsupported: { line: 'live.status.notRelayed', codec: 'H.265' },
    });
    expect(tileView(true, { kind: 'unsupported', reason: { why: 'no-decoder', codec: 'hevc' } }, null).unsupported).toEqual({
      line: 'live.status.noDecoder',
      codec: 'H.265',
    });
  });

  it('shows refusals as errors', () => {
    expect(tileView(true, { kind: 'forbidden' }, true)).toMatchObject({ state: 'error', line: 'live.status.forbidden', tone: 'bad' });
    expect(tileView(true, { kind: 'gone' }, null)).toMatchObject({ state: 'error', line: 'live.status.gone' });
  });

  it('names why an offline source is down: the status reason, short on the tile and whole in the tooltip', () => {
    const retrying = { kind: 'retrying', attempt: 2, retryAtMs: 5, reason: 'x' } as const;
    expect(tileView(true, retrying, false, 'Camera refused the connection (check address and port)')).toMatchObject({
      state: 'offline',
      line: 'live.status.offline',
      reason: { short: 'Camera refused the connection', full: 'Camera refused the connection (check address and port)' },
    });
    const long = 'Unit sends H.265 (or AV1/VP9) over Enhanced RTMP, which this server cannot record yet';
    const v = tileView(true, retrying, false, long);
    expect(v.reason!.full).toBe(long);
    expect(v.reason!.short).toBe('Unit sends H.265 (or AV1/VP9) over Enhanced RTM…');
    // The console's Chinese words for a reason are cut the same way (full-width brackets and colon).
    expect(shortReason('摄像机拒绝连接（请检查地址和端口）')).toBe('摄像机拒绝连接');
    expect(shortReason('录像停止：ffmpeg 未说明原因')).toBe('录像停止');
    expect(shortReason('网络上无法访问该摄像机')).toBe('网络上无法访问该摄像机');
    const noClause = 'Recording disk is full and the oldest recordings cannot be deleted any more';
    expect(shortReason(noClause)).toHaveLength(REASON_MAX_CHARS);
    expect(shortReason(noClause).endsWith('…')).toBe(true);
    // No reason known: just "Offline"; a playing or connecting tile shows none.
    expect(tileView(true, retrying, false, null).reason).toBeUndefined();
    expect(tileView(true, retrying, false, '  ').reason).toBeUndefined();
    expect(tileView(true, { kind: 'playing', sinceMs: 1, stream: 'sub' }, true, 'old error').reason).toBeUndefined();
  });
});
