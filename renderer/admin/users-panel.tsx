// Admin → Users: list users, create one, change a role, reset a password, disable or enable an account.
import { useEffect, useState } from 'preact/hooks';
import { ROLES, type Role, type UserInfo } from '../../common/api';
import { fieldText } from '../accounts/codes';
import { PasswordResetDialog } from '../accounts/reset-dialog';
import { SessionsDialog } from '../accounts/sessions-dialog';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { ConfirmDialog, Modal } from '../components/modal';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/index';
import { roleKey } from '../labels';
import { useServices } from '../services';
import { PtzPriorities } from './onvif-priorities';

function UserForm({ onClose, onSaved }: { onClose: () => void; onSaved: (u: UserInfo) => void }) {
  const { t } = useI18n();
  const { api } = useServices();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('dispatcher');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldError = (p: string) => (error instanceof ApiError ? (fieldText(t, error, p) ?? error.fieldMessage(p)) : undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.createUser({ username, password, role, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('users.formTitle')} onClose={onClose}>
      <form class="form" noValidate onSubmit={submit}>
        {error ? <ErrorBanner error={error} fieldsShown /> : null}
        <div class="form-grid">
          <Field label={t('users.col.username')} name="username" error={fieldError('username')}>
            <input
              {...fieldProps('username', fieldError('username'))}
              value={username}
              autoComplete="off"
              spellcheck={false}
              maxLength={64}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </Field>
          <Field label={t('field.displayName')} name="displayName" error={fieldError('displayName')} hint={t('common.optional')}>
            <input
              {...fieldProps('displayName', fieldError('displayName'))}
              value={displayName}
              maxLength={128}
              onInput={(e) => setDisplayName(e.currentTarget.value)}
            />
          </Field>
          <Field label={t('field.newPassword')} name="password" error={fieldError('password')}>
            <input
              {...fieldProps('password', fieldError('password'))}
              type="password"
              autoComplete="new-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
          <Field label={t('field.role')} name="role" error={fieldError('role')}>
            <select {...fieldProps('role', fieldError('role'))} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(roleKey(r))}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div class="form-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function UsersPanel() {
  const { t } = useI18n();
  const { api, user: me, toasts } = useServices();
  const [users, setUsers] = useState<UserInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [disabling, setDisabling] = useState<UserInfo | null>(null);
  const [resetting, setResetting] = useState<UserInfo | null>(null);
  const [listing, setListing] = useState<UserInfo | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);

  const load = () => {
    setError(null);
    api.listUsers().then(setUsers, setError);
  };
  useEffect(load, []);

  const replace = (u: UserInfo) => setUsers((list) => (list ? list.map((x) => (x.id === u.id ? u : x)) : list));

  const patch = async (u: UserInfo, body: { role?: Role; disabled?: boolean }) => {
    setBusyId(u.id);
    setError(null);
    try {
      const updated = await api.updateUser(u.id, body);
      replace(updated);
      if (body.role) toasts.show((tr) => tr('users.roleChanged', { name: updated.username, role: tr(roleKey(updated.role)) }));
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusyId(null);
    }
  };

  return (
    <div class="admin-panel users-panel">
      <header class="panel-header">
        <h2>{t('users.title')}</h2>
        <div class="grow" />
        <button type="button" onClick={load}>
          {t('common.refresh')}
        </button>
        <button type="button" class="primary" onClick={() => setAdding(true)}>
          {t('users.add')}
        </button>
      </header>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {users === null ? (
        !error ? (
          <p class="muted">{t('common.loading')}</p>
        ) : null
      ) : (
        <div class="table-scroll">
          <table class="data-table users-table">
            <thead>
              <tr>
                <th>{t('users.col.username')}</th>
                <th>{t('users.col.displayName')}</th>
                <th>{t('users.col.role')}</th>
                <th>{t('users.col.state')}</th>
                <th>{t('users.col.created')}</th>
                <th class="actions-col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user-id={u.id} class={u.disabled ? 'row-disabled' : ''}>
                  <td>
                    {u.username} {u.id === me.id ? <span class="muted">{t('users.you')}</span> : null}
                  </td>
                  <td>{u.displayName}</td>
                  <td>
                    <select
                      aria-label={`${t('users.col.role')}: ${u.username}`}
                      value={u.role}
                      disabled={busyId === u.id}
                      onChange={(e) => {
                        const select = e.currentTarget;
                        void patch(u, { role: select.value as Role }).then((ok) => {
                          if (!ok) select.value = u.role; // refused: show the role it still has
                        });
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(roleKey(r))}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <span class={`bool ${u.disabled ? 'no' : 'yes'}`}>
                      <span aria-hidden="true">{u.disabled ? '⊘' : '✓'}</span> {u.disabled ? t('users.state.disabled') : t('users.state.active')}
                    </span>
                    {u.mustChangePassword ? <span class="badge must-change">{t('accounts.state.mustChange')}</span> : null}
                  </td>
                  <td class="mono">{formatDateTime(u.createdMs)}</td>
                  <td class="actions-col">
                    <button type="button" class="small" onClick={() => setListing(u)}>
                      {t('sessions.action')}
                    </button>
                    {u.id !== me.id ? (
                      <button type="button" class="small" disabled={busyId === u.id} onClick={() => setResetting(u)}>
                        {t('accounts.reset.action')}
                      </button>
                    ) : null}
                    {u.disabled ? (
                      <button type="button" class="small" disabled={busyId === u.id} onClick={() => void patch(u, { disabled: false })}>
                        {t('users.enable')}
                      </button>
                    ) : (
                      <button type="button" class="small danger" disabled={busyId === u.id} onClick={() => setDisabling(u)}>
                        {t('users.disable')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {adding ? (
        <UserForm
          onClose={() => setAdding(false)}
          onSaved={(u) => {
            setUsers((list) => [...(list ?? []), u]);
            setAdding(false);
          }}
        />
      ) : null}
      {listing ? <SessionsDialog user={listing} onClose={() => setListing(null)} /> : null}
      {resetting ? (
        <PasswordResetDialog
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={(u) => {
            replace(u);
            setResetting(null);
            toasts.show((tr) => tr('accounts.reset.done', { name: u.username }));
          }}
        />
      ) : null}
      {disabling ? (
        <ConfirmDialog
          message={t('users.disableConfirm', { name: disabling.username })}
          confirmLabel={t('users.disable')}
          busy={busyId === disabling.id}
          onConfirm={() => {
            const u = disabling;
            setDisabling(null);
            void patch(u, { disabled: true });
          }}
          onCancel={() => setDisabling(null)}
        />
      ) : null}
      <PtzPriorities />
    </div>
  );
}
