// Hands the signed-in session to a wall window of the same console (Electron opens it without the opener's sessionStorage).
import type { Session } from '../session';

const CHANNEL = 'argus.session-share';

type Message = { type: 'request'; nonce: string } | { type: 'session'; nonce: string; session: Session };

function channel(): BroadcastChannel | null {
  try {
    return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  } catch {
    return null;
  }
}

/** In a signed-in console: answers wall windows of this origin asking for the session. Returns the stop function. */
export function serveSession(current: () => Session | null): () => void {
  const ch = channel();
  if (!ch) return () => undefined;
  ch.onmessage = (e: MessageEvent<Message>) => {
    const m = e.data;
    const s = current();
    if (m?.type === 'request' && typeof m.nonce === 'string' && s) ch.postMessage({ type: 'session', nonce: m.nonce, session: s } satisfies Message);
  };
  return () => ch.close();
}

/** In a wall window without a session: asks open consoles for theirs; null when none answers in time. */
export function requestSession(timeoutMs = 1500): Promise<Session | null> {
  const ch = channel();
  if (!ch) return Promise.resolve(null);
  const nonce = Math.random().toString(36).slice(2) + Date.now().toString(36);
  return new Promise((resolve) => {
    const done = (s: Session | null) => {
      clearTimeout(timer);
      ch.close();
      resolve(s);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    ch.onmessage = (e: MessageEvent<Message>) => {
      const m = e.data;
      if (m?.type === 'session' && m.nonce === nonce && m.session && typeof m.session.token === 'string') done(m.session);
    };
    ch.postMessage({ type: 'request', nonce } satisfies Message);
  });
}
