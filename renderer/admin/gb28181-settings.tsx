// Admin → GB/T 28181, the SIP server: settings in effect with where each is changed, and the site password (write-only).
import { useState } from 'preact/hooks';
import * as E from '../../common/endpoints';
import type { GbSettingsView } from '../../common/gb28181';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import type { Reload } from './gb28181-device';

function SitePasswordForm({ settings, onChanged }: { settings: GbSettingsView; onChanged: Reload }) {
  const { t } = useI18n();
  const { api, toasts } = useServices();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldError = error instanceof ApiError ? error.fieldMessage('password') : undefined;
  const save = async (value: string | null) => {
    setBusy(true);
    setError(null);
    try {
      await api.call(E.putGb28181SitePassword, { body: { password: value } });
      setPassword('');
      toasts.show((tr) => tr(value === null ? 'gb28181.site.cleared' : 'gb28181.site.saved'));
      await onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="form gb-password-form gb-site-password"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(password);
      }}
    >
      <h4>{t('gb28181.site.title')}</h4>
      {error && !fieldError ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <Field label={t('gb28181.site.new')} name="gbSitePassword" error={fieldError} hint={t('gb28181.site.hint')}>
        <input
          {...fieldProps('gbSitePassword', fieldError)}
          type="password"
          autoComplete="new-password"
          value={password}
          maxLength={64}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </Field>
      <div class="form-actions">
        {settings.sitePasswordSet ? (
          <button type="button" disabled={busy} onClick={() => void save(null)}>
            {t('gb28181.site.clear')}
          </button>
        ) : null}
        <div class="grow" />
        <button type="submit" class="primary" disabled={busy || password === ''}>
          {t('gb28181.site.save')}
        </button>
      </div>
    </form>
  );
}

export function SettingsSection({ settings, onChanged }: { settings: GbSettingsView; onChanged: Reload }) {
  const { t } = useI18n();
  const rows: Array<[string, string, string]> = [
    ['serverId', t('gb28181.settings.serverId'), settings.serverId],
    ['domain', t('gb28181.settings.domain'), settings.domain],
    ['port', t('gb28181.settings.port'), settings.port === null ? t('gb28181.settings.notListening') : String(settings.port)],
    ['bind', t('gb28181.settings.bind'), settings.bind],
    ['sitePassword', t('gb28181.settings.sitePassword'), settings.sitePasswordSet ? t('gb28181.settings.passwordSet') : t('gb28181.settings.passwordUnset')],
    ['unknownDevices', t('gb28181.settings.unknownDevices'), t(`gb28181.settings.policy.${settings.unknownDevices}`)],
  ];
  return (
    <section class="gb-settings" aria-label={t('gb28181.settings.title')}>
      <h3>{t('gb28181.settings.title')}</h3>
      <dl class="gb-settings-list">
        {rows.map(([field, label, value]) => (
          <div key={field} data-setting={field}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {settings.where.length ? (
        <details class="gb-settings-where">
          <summary>{t('gb28181.settings.where')}</summary>
          <table class="data-table">
            <thead>
              <tr>
                <th>{t('gb28181.col.name')}</th>
                <th>{t('gb28181.settings.key')}</th>
                <th>{t('gb28181.settings.env')}</th>
              </tr>
            </thead>
            <tbody>
              {settings.where.map((w) => (
                <tr key={w.field}>
                  <td>{rows.find((r) => r[0] === w.field)?.[1] ?? w.field}</td>
                  <td>
                    <code>{w.key}</code>
                  </td>
                  <td>
                    <code>{w.env}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      <SitePasswordForm settings={settings} onChanged={onChanged} />
    </section>
  );
}
