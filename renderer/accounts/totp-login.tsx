// The login page's second step: a TOTP or recovery code for the pending sign-in (and a required setup's QR code first).
import { useEffect, useState } from 'preact/hooks';
import * as E from '../../common/endpoints';
import type { SecondFactorChallenge, TotpLoginResponse, TotpSetup } from '../../common/factors';
import { api } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/index';
import { TotpQr } from './totp-qr';

export function TotpLoginStep({ challenge, onDone, onBack }: { challenge: SecondFactorChallenge; onDone: (r: TotpLoginResponse) => void; onBack: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  // A required setup done during sign-in: its recovery codes are shown once before the console opens.
  const [done, setDone] = useState<TotpLoginResponse | null>(null);

  useEffect(() => {
    if (challenge.secondFactor !== 'totp_setup') return;
    api.call(E.postAuthLoginTotpSetup, { body: { pendingToken: challenge.pendingToken }, auth: false }).then(setSetup, setError);
  }, [challenge]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.call(E.postAuthLoginTotp, { body: { pendingToken: challenge.pendingToken, code: code.trim() }, auth: false });
      if (r.recoveryCodes) setDone(r);
      else onDone(r);
    } catch (x) {
      setError(x);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <div class="login-card">
        <h1>{t('factors.login.title')}</h1>
        <p>{t('factors.dialog.codes')}</p>
        <ul class="recovery-codes" data-testid="recovery-codes">
          {(done.recoveryCodes ?? []).map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" class="primary login-submit" onClick={() => onDone(done)}>
          {t('factors.dialog.done')}
        </button>
      </div>
    );

  return (
    <form class="login-card" onSubmit={submit} noValidate aria-labelledby="totp-title">
      <h1 id="totp-title">{t('factors.login.title')}</h1>
      <p class="muted">{challenge.secondFactor === 'totp_setup' ? t('factors.login.setupIntro') : t('factors.login.intro')}</p>
      {setup ? <TotpQr setup={setup} /> : null}
      {error ? <ErrorBanner error={error} /> : null}
      <label for="login-code">{t('factors.login.code')}</label>
      <input
        id="login-code"
        name="code"
        autoComplete="one-time-code"
        inputMode="numeric"
        autoCapitalize="off"
        spellcheck={false}
        autofocus
        value={code}
        onInput={(e) => setCode(e.currentTarget.value)}
      />
      <button type="submit" class="primary login-submit" disabled={busy || !code.trim()}>
        {t('factors.login.submit')}
      </button>
      <button type="button" onClick={onBack}>
        {t('factors.login.back')}
      </button>
    </form>
  );
}
