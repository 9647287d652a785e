// Login page: username and password (then a TOTP code when due); shows why sign-in failed or that the previous session ended.
import { useState } from 'preact/hooks';
import { isChallenge, type SecondFactorChallenge, type TotpLoginResponse } from '../common/factors';
import { TotpLoginStep } from './accounts/totp-login';
import { api } from './api';
import { ErrorBanner } from './components/error-banner';
import { LANGS, setLang, useI18n } from './i18n/index';
import { signedOutReason, startSession } from './session';
import { useStore } from './state/store';

export function LoginPage() {
  const { t, lang } = useI18n();
  const reason = useStore(signedOutReason);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const [challenge, setChallenge] = useState<SecondFactorChallenge | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!username.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      const r = await api.login({ username: username.trim(), password });
      if (isChallenge(r)) setChallenge(r);
      else startSession(r);
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  if (challenge)
    return (
      <div class="login-page">
        <TotpLoginStep challenge={challenge} onDone={(r: TotpLoginResponse) => startSession(r)} onBack={() => (setChallenge(null), setPassword(''))} />
      </div>
    );

  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div class="login-brand">
          <svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
            <path d="M2 12 C6 5 18 5 22 12 C18 19 6 19 2 12 Z" fill="none" stroke="currentColor" stroke-width="1.6" />
            <circle cx="12" cy="12" r="3.5" fill="currentColor" />
          </svg>
          <div>
            <div class="login-product">{t('app.name')}</div>
            <div class="muted">{t('app.tagline')}</div>
          </div>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        {reason === 'sessionEnded' && !error ? (
          <div class="banner banner-info" role="status">
            {t('login.sessionEnded')}
          </div>
        ) : null}
        {error ? <ErrorBanner error={error} /> : null}
        {missing ? (
          <div class="banner banner-error" role="alert">
            {t('login.missing')}
          </div>
        ) : null}
        <label for="login-username">{t('login.username')}</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          autoCapitalize="off"
          spellcheck={false}
          autofocus
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        <label for="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" class="primary login-submit" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        <div class="segmented login-lang" role="group" aria-label={t('lang.label')}>
          {LANGS.map((l) => (
            <button type="button" key={l} lang={l} aria-pressed={lang === l} onClick={() => setLang(l)}>
              {l === 'en' ? t('lang.en') : t('lang.zh-CN')}
            </button>
          ))}
        </div>
      </form>
    </div>
  );
}
