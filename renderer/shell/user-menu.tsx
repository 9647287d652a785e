// Top bar user menu: who is signed in, their role, change password, their sessions, two-step sign-in and sign out.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { UserInfo } from '../../common/api';
import { useI18n } from '../i18n/index';
import { PasswordChangeDialog } from '../accounts/password-form';
import { SessionsDialog } from '../accounts/sessions-dialog';
import { TotpDialog } from '../accounts/totp-dialog';
import { roleKey } from '../labels';
import { useServices } from '../services';

export function UserMenu({ user, onSignOut }: { user: UserInfo; onSignOut: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  const [listing, setListing] = useState(false);
  const [factors, setFactors] = useState(false);
  const { toasts } = useServices();
  const root = useRef<HTMLDivElement>(null);
  const name = user.displayName || user.username;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div class="user-menu" ref={root}>
      <button
        type="button"
        class="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('top.user.menu', { name })}
        onClick={() => setOpen(!open)}
      >
        <span class="avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span class="user-name">{name}</span>
        <span class="user-role">{t(roleKey(user.role))}</span>
      </button>
      {open ? (
        <div class="menu" role="menu">
          <div class="menu-info">
            <div>{t('top.user.signedInAs', { name: user.username })}</div>
            <div class="muted">{t('top.user.role', { role: t(roleKey(user.role)) })}</div>
          </div>
          <button type="button" role="menuitem" class="menu-item" onClick={() => (setOpen(false), setChanging(true))}>
            {t('accounts.menu.changePassword')}
          </button>
          <button type="button" role="menuitem" class="menu-item" onClick={() => (setOpen(false), setListing(true))}>
            {t('sessions.menu')}
          </button>
          <button type="button" role="menuitem" class="menu-item" onClick={() => (setOpen(false), setFactors(true))}>
            {t('factors.menu')}
          </button>
          <button type="button" role="menuitem" class="menu-item" onClick={onSignOut}>
            {t('top.signOut')}
          </button>
        </div>
      ) : null}
      {listing ? <SessionsDialog onClose={() => setListing(false)} /> : null}
      {factors ? <TotpDialog onClose={() => setFactors(false)} /> : null}
      {changing ? (
        <PasswordChangeDialog
          onClose={() => setChanging(false)}
          onChanged={() => {
            setChanging(false);
            toasts.show((tr) => tr('accounts.change.done'));
          }}
        />
      ) : null}
    </div>
  );
}
