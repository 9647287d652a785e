// Root component: language context, then the login page, the forced password change or the console depending on the session.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ForcedPasswordChange } from './accounts/forced-change';
import { I18nContext, langStore, makeI18n } from './i18n/index';
import { LoginPage } from './login';
import { Console } from './console';
import { requestSession, watchSessions } from './live/session-share';
import { sessionStore, startSession } from './session';
import { wallDisplayId } from './shell/argus-shell';
import { useStore } from './state/store';

export function App() {
  const lang = useStore(langStore);
  const session = useStore(sessionStore);
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  // A wall window starts without a session: ask the console that opened it before showing the login page.
  const wall = useMemo(() => wallDisplayId(location.hash) !== null, []);
  const [asking, setAsking] = useState(() => wall && !sessionStore.get());
  useEffect(() => {
    if (!asking) return;
    void requestSession().then((s) => {
      if (s && !sessionStore.get()) startSession(s);
      setAsking(false);
    });
  }, []);
  // A wall window at its login page signs in when the operator signs in at the console.
  useEffect(() => {
    if (!wall || session) return;
    return watchSessions((s) => !sessionStore.get() && startSession(s));
  }, [wall, session]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = session ? `${i18n.t('app.name')} · ${session.user.displayName || session.user.username}` : i18n.t('app.name');
  }, [lang, session]);

  if (asking) return null;
  const page = !session ? (
    <LoginPage />
  ) : session.user.mustChangePassword ? (
    <ForcedPasswordChange user={session.user} />
  ) : (
    <Console key={session.token} user={session.user} />
  );
  return <I18nContext.Provider value={i18n}>{page}</I18nContext.Provider>;
}
