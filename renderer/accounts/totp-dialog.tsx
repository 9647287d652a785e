// Account menu → two-step sign-in: set up TOTP (QR code, first code, recovery codes shown once) or turn it off (password + code).
import { useEffect, useState } from 'preact/hooks';
import * as E from '../../common/endpoints';
import type { TotpSetup, TotpStatus } from '../../common/factors';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { fieldText } from './codes';
import { TotpQr } from './totp-qr';

/** One server step of the dialog. */
interface Step {
  (): Promise<unknown>;
}

export function TotpDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { api } = useServices();
  const [status, setStatus] = useState<TotpStatus | null>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.call(E.getAuthTotp).then(setStatus, setError);
  }, [api]);

  const run = async (fn: Step) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  const start = () => run(async () => setSetup(await api.call(E.postAuthTotpSetup)));
  const confirm = (e: Event) => {
    e.preventDefault();
    return run(async () => {
      setCodes((await api.call(E.postAuthTotpConfirm, { body: { code: code.trim() } })).recoveryCodes);
      setSetup(null);
      setCode('');
    });
  };
  const disable = (e: Event) => {
    e.preventDefault();
    return run(async () => {
      setStatus(await api.call(E.postAuthTotpDisable, { body: { password, code: code.trim() } }));
      setPassword('');
      setCode('');
    });
  };
  const codeErr = fieldText(t, error, 'code');
  const pwErr = fieldText(t, error, 'password');
  const codeField = (
    <Field label={t('factors.login.code')} name="code" error={codeErr}>
      <input {...fieldProps('code', codeErr)} autoComplete="one-time-code" inputMode="numeric" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
    </Field>
  );

  return (
    <Modal title={t('factors.dialog.title')} onClose={onClose}>
      <div class="form totp-dialog">
        {error ? <ErrorBanner error={error} fieldsShown /> : null}
        {codes ? (
          <>
            <p>{t('factors.dialog.codes')}</p>
            <ul class="recovery-codes" data-testid="recovery-codes">
              {codes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
            <div class="form-actions">
              <button type="button" class="primary" onClick={onClose}>
                {t('factors.dialog.done')}
              </button>
            </div>
          </>
        ) : setup ? (
          <form noValidate onSubmit={confirm}>
            <p class="muted">{t('factors.dialog.scan')}</p>
            <TotpQr setup={setup} />
            {codeField}
            <div class="form-actions">
              <button type="submit" class="primary" disabled={busy || !code.trim()}>
                {t('factors.dialog.confirm')}
              </button>
            </div>
          </form>
        ) : status?.enabled ? (
          <form noValidate onSubmit={disable}>
            <p>{t('factors.dialog.on', { count: status.recoveryCodesLeft })}</p>
            {status.required ? (
              <p class="muted">{t('factors.dialog.required')}</p>
            ) : (
              <>
                <Field label={t('factors.dialog.password')} name="password" error={pwErr}>
                  <input
                    {...fieldProps('password', pwErr)}
                    type="password"
                    autoComplete="current-password"
                    value={password}
                    onInput={(e) => setPassword(e.currentTarget.value)}
                  />
                </Field>
                {codeField}
                <div class="form-actions">
                  <button type="submit" class="danger" disabled={busy || !password || !code.trim()}>
                    {t('factors.dialog.disable')}
                  </button>
                </div>
              </>
            )}
          </form>
        ) : status ? (
          <>
            <p>{t('factors.dialog.off')}</p>
            <div class="form-actions">
              <button type="button" class="primary" disabled={busy || !status.allowed} onClick={start}>
                {t('factors.dialog.start')}
              </button>
            </div>
          </>
        ) : null}
      </div>
    </Modal>
  );
}
