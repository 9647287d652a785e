// Short-lived signed playback links (issue 13): HMAC-SHA256 over channel, range, session and expiry, with a key held in memory; never the session token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a playlist or piece link works by default (a window is at most 15 min; the console reloads the map for the next one). */
export const PLAYBACK_TOKEN_TTL_MS = 20 * 60_000;

/** What a playback link allows: one channel's recordings in [startMs, endMs) for one session of one user, until expMs. */
export interface PlaybackGrant {
  channelId: number;
  startMs: number;
  endMs: number;
  userId: number;
  /** SHA-256 hex of the session token it was issued to (kept on the server, never in the link). */
  tokenHash: string;
  expMs: number;
}

const b64 = (b: Buffer) => b.toString('base64url');

/**
 * Issues and checks playback links. The link carries a session tag (an HMAC of the session's token hash), not the
 * hash itself; the tag maps back to the session in memory, so a restart (a new key) ends every link. The caller still
 * checks that the session is alive and that the user may still see the channel.
 */
export class PlaybackTokens {
  private readonly key: Buffer;
  private readonly sessions = new Map<string, { tokenHash: string; expMs: number }>();

  constructor(
    private readonly now: () => number,
    readonly ttlMs = PLAYBACK_TOKEN_TTL_MS,
    key?: Buffer,
  ) {
    this.key = key ?? randomBytes(32);
  }

  private mac(text: string): Buffer {
    return createHmac('sha256', this.key).update(text).digest();
  }

  mint(g: Omit<PlaybackGrant, 'expMs'>): string {
    const expMs = this.now() + this.ttlMs;
    const sid = b64(this.mac(`session:${g.tokenHash}`).subarray(0, 16));
    this.prune();
    this.sessions.set(sid, { tokenHash: g.tokenHash, expMs: Math.max(expMs, this.sessions.get(sid)?.expMs ?? 0) });
    const body = `${g.channelId}.${g.startMs}.${g.endMs}.${g.userId}.${expMs}.${sid}`;
    return `${body}.${b64(this.mac(`playback:${body}`))}`;
  }

  /** The grant of a link whose signature holds and that has not expired; null otherwise. */
  verify(token: string | null): PlaybackGrant | null {
    if (!token) return null;
    const parts = token.split('.');
    if (parts.length !== 7) return null;
    const body = parts.slice(0, 6).join('.');
    const want = this.mac(`playback:${body}`);
    const got = Buffer.from(parts[6]!, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
    const [channelId, startMs, endMs, userId, expMs] = parts.slice(0, 5).map(Number) as [number, number, number, number, number];
    if (!(expMs > this.now())) return null;
    const session = this.sessions.get(parts[5]!);
    if (!session) return null;
    return { channelId, startMs, endMs, userId, tokenHash: session.tokenHash, expMs };
  }

  /** Forgets sessions whose last link has expired. */
  private prune(): void {
    const nowMs = this.now();
    for (const [sid, s] of this.sessions) if (s.expMs <= nowMs) this.sessions.delete(sid);
  }
}
