// One-time tokens of the media hub: a URL for one ffmpeg run (`?once=`), so the hub's internal secret never reaches a command line.
import crypto from 'node:crypto';

/** How long an unused token stays good. */
export const ONCE_TTL_MS = 120_000;

/** Tokens good for one publish or play of one stream path, within ONCE_TTL_MS; what `ps` shows after use is dead. */
export class OnceTokens {
  private readonly tokens = new Map<string, { streamPath: string; expiresMs: number }>();

  constructor(private readonly now: () => number) {}

  /** A new token for the stream path (expired ones are dropped on the way). */
  issue(streamPath: string): string {
    const nowMs = this.now();
    for (const [t, o] of this.tokens) if (o.expiresMs <= nowMs) this.tokens.delete(t);
    const token = crypto.randomBytes(18).toString('base64url');
    this.tokens.set(token, { streamPath, expiresMs: nowMs + ONCE_TTL_MS });
    return token;
  }

  /** Uses the token up: true when it was issued for this stream path and has not expired. */
  consume(token: string, streamPath: string | undefined): boolean {
    const o = this.tokens.get(token);
    if (!o) return false;
    this.tokens.delete(token);
    return o.streamPath === streamPath && o.expiresMs > this.now();
  }
}
