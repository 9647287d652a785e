// The signed-in session: token and user kept in sessionStorage (gone when the browser tab closes) and a Store for the UI.
import type { LoginResponse, UserInfo } from '../common/api';
import { Store } from './state/store';

export interface Session {
  token: string;
  user: UserInfo;
  expiresMs: number;
}

/** Why the login page is showing: first visit, the user signed out, or the server ended the session. */
export type SignedOutReason = 'none' | 'signedOut' | 'sessionEnded';

const KEY = 'argus.session';

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

function load(): Session | null {
  try {
    const raw = storage()?.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.token !== 'string' || !s.user || typeof s.user.username !== 'string') return null;
    return s as Session;
  } catch {
    return null;
  }
}

export const sessionStore = new Store<Session | null>(load());
export const signedOutReason = new Store<SignedOutReason>('none');

export function currentToken(): string | null {
  return sessionStore.get()?.token ?? null;
}

export function startSession(r: LoginResponse): void {
  const s: Session = { token: r.token, user: r.user, expiresMs: r.expiresMs };
  try {
    storage()?.setItem(KEY, JSON.stringify(s));
  } catch {
    // kept in memory only
  }
  signedOutReason.set('none');
  sessionStore.set(s);
}

export function updateSessionUser(user: UserInfo): void {
  const s = sessionStore.get();
  if (!s) return;
  const next = { ...s, user };
  try {
    storage()?.setItem(KEY, JSON.stringify(next));
  } catch {
    // kept in memory only
  }
  sessionStore.set(next);
}

/** Forgets the token and shows the login page. */
export function endSession(reason: SignedOutReason): void {
  try {
    storage()?.removeItem(KEY);
  } catch {
    // nothing stored
  }
  signedOutReason.set(reason);
  sessionStore.set(null);
}
