// The own password change form (current, new, repeated) and its dialog from the user menu; refusals worded from their codes.
import { useState } from 'preact/hooks';
import { PASSWORD_MIN_LENGTH } from '../../common/accounts';
import type { UserInfo } from '../../common/api';
import { api, ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';
import { updateSessionUser } from '../session';
import { fieldText } from './codes';

/** Changes the signed-in user's password; on success the session's user is updated and onDone called. */
export function PasswordChangeForm({ onDone, onCancel, cancelLabel }: { onDone: (u: UserInfo) => void; onCancel: () => void; cancelLabel: string }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const err = (path: string) => fieldText(t, error, path);
  const newError = err('newPassword');
  const repeatError = mismatch ? t('accounts.change.mismatch') : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    try {
      const user = await api.changePassword({ currentPassword: current, newPassword: next });
      updateSessionUser(user);
      onDone(user);
    } catch (x) {
      setError(x);
      if (x instanceof ApiError && x.fields.some((f) => f.path === 'currentPassword')) setCurrent('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form password-form" noValidate onSubmit={submit}>
      {error ? <ErrorBanner error={error} fieldsShown /> : null}
      <Field label={t('accounts.change.current')} name="currentPassword" error={err('currentPassword')}>
        <input
          {...fieldProps('currentPassword', err('currentPassword'))}
          type="password"
          autoComplete="current-password"
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
      </Field>
      <Field label={t('accounts.change.new')} name="newPassword" error={newError} hint={t('accounts.change.policy', { min: PASSWORD_MIN_LENGTH })}>
        <input
          {...fieldProps('newPassword', newError)}
          type="password"
          autoComplete="new-password"
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
      </Field>
      <Field label={t('accounts.change.repeat')} name="repeatPassword" error={repeatError}>
        <input
          {...fieldProps('repeatPassword', repeatError)}
          type="password"
          autoComplete="new-password"
          value={repeat}
          onInput={(e) => setRepeat(e.currentTarget.value)}
        />
      </Field>
      <div class="form-actions">
        <button type="button" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="submit" class="primary" disabled={busy || !current || !next || !repeat}>
          {busy ? t('accounts.change.busy') : t('accounts.change.submit')}
        </button>
      </div>
    </form>
  );
}

/** The dialog the user menu opens. */
export function PasswordChangeDialog({ onClose, onChanged }: { onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  return (
    <Modal title={t('accounts.change.title')} onClose={onClose}>
      <PasswordChangeForm onDone={onChanged} onCancel={onClose} cancelLabel={t('common.cancel')} />
    </Modal>
  );
}
