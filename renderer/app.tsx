// Root component: language context, then the login page or the console depending on the session.
import { useEffect, useMemo } from 'preact/hooks';
import { I18nContext, langStore, makeI18n } from './i18n/index';
import { LoginPage } from './login';
import { Console } from './console';
import { sessionStore } from './session';
import { useStore } from './state/store';

export function App() {
  const lang = useStore(langStore);
  const session = useStore(sessionStore);
  const i18n = useMemo(() => makeI18n(lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = session ? `${i18n.t('app.name')} · ${session.user.displayName || session.user.username}` : i18n.t('app.name');
  }, [lang, session]);

  return <I18nContext.Provider value={i18n}>{session ? <Console key={session.token} user={session.user} /> : <LoginPage />}</I18nContext.Provider>;
}
