// Signed playback links: they expire, a changed field or another key breaks them, and they never carry the session token or its hash.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PlaybackTokens } from './playback-token';

describe('playback links (HMAC over channel, range, session and expiry)', () => {
  const sessionToken = randomBytes(32).toString('base64url');
  const tokenHash = createHash('sha256').update(sessionToken).digest('hex');
  const grant = { channelId: 7, startMs: 1_000_000, endMs: 1_900_000, userId: 3, tokenHash };

  it('verifies until it expires, then refuses', () => {
    let now = 5_000;
    const tokens = new PlaybackTokens(() => now, 60_000);
    const sig = tokens.mint(grant);
    expect(tokens.verify(sig)).toEqual({ ...grant, expMs: 65_000 });
    now = 64_999;
    expect(tokens.verify(sig)).not.toBeNull();
    now = 65_000;
    expect(tokens.verify(sig)).toBeNull();
  });

  it('refuses a link whose channel, range, user or expiry was changed, and one signed with another key', () => {
    const now = () => 5_000;
    const tokens = new PlaybackTokens(now, 60_000);
    const sig = tokens.mint(grant);
    const parts = sig.split('.');
    for (const i of [0, 1, 2, 3, 4]) {
      const changed = [...parts];
      changed[i] = String(Number(changed[i]) + 1);
      expect(tokens.verify(changed.join('.')), `field ${i}`).toBeNull();
    }
    expect(tokens.verify(sig.slice(0, -2))).toBeNull();
    expect(tokens.verify('')).toBeNull();
    expect(tokens.verify(null)).toBeNull();
    // A restart (a new in-memory key) ends every link.
    expect(new PlaybackTokens(now, 60_000).verify(sig)).toBeNull();
  });

  it('never contains the session token or its hash', () => {
    const tokens = new PlaybackTokens(() => 5_000);
    const sig = tokens.mint(grant);
    expect(sig).not.toContain(sessionToken);
    expect(sig).not.toContain(tokenHash);
    expect(sig).not.toContain(tokenHash.slice(0, 16));
    // The server maps the link back to its session.
    expect(tokens.verify(sig)?.tokenHash).toBe(tokenHash);
  });
});
