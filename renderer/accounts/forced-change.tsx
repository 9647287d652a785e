// The page a user sees instead of the console while a password change is due (admin reset, generated first password).
import { api } from '../api';
import { LANGS, setLang, useI18n } from '../i18n/index';
import { endSession } from '../session';
import type { UserInfo } from '../../common/api';
import { PasswordChangeForm } from './password-form';

export function ForcedPasswordChange({ user }: { user: UserInfo }) {
  const { t, lang } = useI18n();
  const signOut = async () => {
    try {
      await api.logout();
    } catch {
      // forgotten locally either way
    }
    endSession('signedOut');
  };
  return (
    <div class="login-page">
      <div class="login-card forced-change" role="main" aria-labelledby="forced-title">
        <h1 id="forced-title">{t('accounts.forced.title')}</h1>
        <p class="muted">{t('top.user.signedInAs', { name: user.username })}</p>
        <div class="banner banner-info" role="status">
          {t('accounts.forced.intro')}
        </div>
        {/* On success the session's user no longer has a change due and the app shows the console. */}
        <PasswordChangeForm onDone={() => undefined} onCancel={() => void signOut()} cancelLabel={t('accounts.forced.signOut')} />
        <div class="segmented login-lang" role="group" aria-label={t('lang.label')}>
          {LANGS.map((l) => (
            <button type="button" key={l} lang={l} aria-pressed={lang === l} onClick={() => setLang(l)}>
              {l === 'en' ? t('lang.en') : t('lang.zh-CN')}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
