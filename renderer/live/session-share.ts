// Hands the signed-in session to wall windows of the same console (Electron opens them without the opener's sessionStorage).
import type { Session } from '../session';

const CHANNEL = 'argus.session-share';

/** 'request': a wall window asks; 'session': an answer to a request (its nonce) or an announcement after sign-in (nonce '*'). */
type Message = { type: 'request'; nonce: string } | { type: 'session'; nonce: string; session: Session };

function channel(): BroadcastChannel | null {
  try {
    return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  } catch {
    return null;
  }
}

function isSession(v: unknown): v is Session {
  const s = v as Partial<Session> | null;
  return !!s && typeof s.token === 'string' && !!s.user && typeof s.user.username === 'string';
}

/**
 * In a signed-in console: announces the session once (wall windows waiting at their login page take it) and answers
 * wall windows that ask later. Returns the stop function.
 */
export function serveSession(current: () => Session | null): () => void {
  const ch = channel();
  if (!ch) return () => undefined;
  ch.onmessage = (e: MessageEvent<Message>) => {
    const m = e.data;
    const s = current();
    if (m?.type === 'request' && typeof m.nonce === 'string' && s) ch.postMessage({ type: 'session', nonce: m.nonce, session: s } satisfies Message);
  };
  const s = current();
  if (s) ch.postMessage({ type: 'session', nonce: '*', session: s } satisfies Message);
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
      if (m?.type === 'session' && (m.nonce === nonce || m.nonce === '*') && isSession(m.session)) done(m.session);
    };
    ch.postMessage({ type: 'request', nonce } satisfies Message);
  });
}

/** In a wall window showing its login page: takes the session of a console that signs in meanwhile. Returns the stop function. */
export function watchSessions(onSession: (s: Session) => void): () => void {
  const ch = channel();
  if (!ch) return () => undefined;
  ch.onmessage = (e: MessageEvent<Message>) => {
    const m = e.data;
    if (m?.type === 'session' && m.nonce === '*' && isSession(m.session)) onSession(m.session);
  };
  return () => ch.close();
}
