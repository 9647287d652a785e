// Admin → Users: reset a user's password (temporary password; the user must change it at the next sign-in, their sessions end).
import { useState } from 'preact/hooks';
import { PASSWORD_MIN_LENGTH } from '../../common/accounts';
import type { UserInfo } from '../../common/api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { fieldText } from './codes';

export function PasswordResetDialog({ user, onClose, onDone }: { user: UserInfo; onClose: () => void; onDone: (u: UserInfo) => void }) {
  const { t } = useI18n();
  const { api } = useServices();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const err = fieldText(t, error, 'newPassword');

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await api.resetPassword(user.id, { newPassword: password }));
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('accounts.reset.title', { name: user.username })} onClose={onClose}>
      <form class="form password-form" noValidate onSubmit={submit}>
        <p class="muted">{t('accounts.reset.intro', { name: user.username })}</p>
        {error ? <ErrorBanner error={error} fieldsShown /> : null}
        <Field label={t('accounts.reset.new')} name="newPassword" error={err} hint={t('accounts.change.policy', { min: PASSWORD_MIN_LENGTH })}>
          <input
            {...fieldProps('newPassword', err)}
            type="password"
            autoComplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <div class="form-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary danger" disabled={busy || !password}>
            {t('accounts.reset.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
