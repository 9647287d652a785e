// Admin → GB/T 28181, one device's details: its channels as the Catalog gives them, its subscriptions, its password (write-only), catalog refresh, removal.
import { useEffect, useState } from 'preact/hooks';
import * as E from '../../common/endpoints';
import type { GbChannelView, GbDeviceView, GbPeerView } from '../../common/gb28181';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { ConfirmDialog } from '../components/modal';
import { formatDateTime } from '../format';
import { useI18n, type I18n } from '../i18n/index';
import { statusReason } from '../i18n/server-messages';
import { useServices } from '../services';

/** Reads the lists again (after a change). */
export interface Reload {
  (): Promise<void>;
}

/** "UDP 10.0.0.5:5060", or a dash when not registered. */
export function peerText(t: I18n['t'], peer: GbPeerView | null): string {
  return peer ? `${t(`gb28181.transport.${peer.transport}`)} ${peer.host}:${peer.port}` : t('common.none');
}

/** The channel's type in words from its type code (GB/T 28181 annex D: 131/132 cameras, 134 alarm input, 135 alarm output). */
function typeLabel(t: I18n['t'], code: string): string {
  switch (code) {
    case '131':
    case '132':
      return t('gb28181.type.camera', { code });
    case '134':
      return t('gb28181.type.alarmInput', { code });
    case '135':
      return t('gb28181.type.alarmOutput', { code });
    default:
      return t('gb28181.type.other', { code });
  }
}

function ChannelsTable({ channels }: { channels: GbChannelView[] }) {
  const { t } = useI18n();
  if (channels.length === 0) return <p class="muted">{t('gb28181.channels.none')}</p>;
  return (
    <table class="data-table gb-channels-table">
      <thead>
        <tr>
          <th class="num">#</th>
          <th>{t('gb28181.col.name')}</th>
          <th>{t('gb28181.col.gbId')}</th>
          <th>{t('gb28181.channels.type')}</th>
          <th>{t('gb28181.channels.status')}</th>
          <th>{t('gb28181.channels.civilCode')}</th>
          <th>{t('gb28181.channels.parent')}</th>
          <th>{t('gb28181.channels.ptz')}</th>
        </tr>
      </thead>
      <tbody>
        {channels.map((c) => (
          <tr key={c.channelId} data-channel-id={c.channelId} data-gb-id={c.gbId}>
            <td class="num">{c.ordinal}</td>
            <td>{c.name}</td>
            <td>
              <code>{c.gbId}</code>
            </td>
            <td>{typeLabel(t, c.typeCode)}</td>
            <td data-online={c.online}>{c.online ? t('gb28181.channels.on') : t('gb28181.channels.off')}</td>
            <td>{c.civilCode ?? t('common.none')}</td>
            <td>{c.parentId ?? t('common.none')}</td>
            <td>{c.ptz ? t('common.yes') : t('common.no')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SubscriptionsTable({ device }: { device: GbDeviceView }) {
  const { t, lang } = useI18n();
  return (
    <table class="data-table gb-subs-table">
      <thead>
        <tr>
          <th>{t('gb28181.subs.title')}</th>
          <th>{t('gb28181.col.state')}</th>
          <th>{t('gb28181.subs.renewed')}</th>
          <th>{t('gb28181.subs.expires')}</th>
          <th>{t('gb28181.subs.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {device.subscriptions.map((s) => (
          <tr key={s.kind} data-subscription={s.kind} data-state={s.state}>
            <td>{t(`gb28181.subs.${s.kind}`)}</td>
            <td>{t(`gb28181.subs.state.${s.state}`)}</td>
            <td>{formatDateTime(s.renewedMs)}</td>
            <td>{formatDateTime(s.expiresMs)}</td>
            <td>{statusReason(lang, s.reason, null) ?? t('common.none')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PasswordForm({ device, onChanged }: { device: GbDeviceView; onChanged: Reload }) {
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
      await api.call(E.putGb28181DevicesByidPassword, { params: { id: device.deviceId }, body: { password: value } });
      setPassword('');
      toasts.show((tr) => tr(value === null ? 'gb28181.password.cleared' : 'gb28181.password.saved', { name: device.name }));
      await onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="form gb-password-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(password);
      }}
    >
      <h4>{t('gb28181.password.title')}</h4>
      <p class="muted" data-has-password={device.hasPassword}>
        {device.hasPassword ? t('gb28181.password.own') : t('gb28181.password.site')}
      </p>
      {error && !fieldError ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <Field label={t('gb28181.password.new')} name="gbPassword" error={fieldError} hint={t('gb28181.password.hint')}>
        <input
          {...fieldProps('gbPassword', fieldError)}
          type="password"
          autoComplete="new-password"
          value={password}
          maxLength={64}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </Field>
      <div class="form-actions">
        {device.hasPassword ? (
          <button type="button" class="gb-password-clear" disabled={busy} onClick={() => void save(null)}>
            {t('gb28181.password.clear')}
          </button>
        ) : null}
        <div class="grow" />
        <button type="submit" class="primary gb-password-save" disabled={busy || password === ''}>
          {t('gb28181.password.save')}
        </button>
      </div>
    </form>
  );
}

export function GbDeviceDetails({ device, onChanged, onRemoved }: { device: GbDeviceView; onChanged: Reload; onRemoved: () => void }) {
  const { t } = useI18n();
  const { api, org, toasts } = useServices();
  const [channels, setChannels] = useState<GbChannelView[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [removing, setRemoving] = useState(false);
  const id = device.deviceId;
  useEffect(() => {
    api.call(E.getGb28181DevicesByidChannels, { params: { id } }).then(setChannels, setError);
  }, [id, device.lastCatalogMs, device.channelCount]);
  const refresh = async () => {
    setBusy(true);
    setError(null);
    try {
      const list = await api.call(E.postGb28181DevicesByidCatalog, { params: { id } });
      setChannels(list);
      toasts.show((tr) => tr('gb28181.catalogRefreshed', { name: device.name, count: list.length }));
      await Promise.all([onChanged(), org.reload()]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    try {
      await api.call(E.deleteDevicesByid, { params: { id } });
      setRemoving(false);
      toasts.show((tr) => tr('gb28181.removed', { name: device.name }));
      onRemoved();
      await Promise.all([onChanged(), org.reload()]);
    } catch (err) {
      setError(err);
      setRemoving(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="gb-device-details" data-device-id={id}>
      <header class="panel-header">
        <h3>{t('gb28181.channels.title', { name: device.name })}</h3>
        <span class="muted">{t('gb28181.lastCatalog', { time: formatDateTime(device.lastCatalogMs) })}</span>
        <div class="grow" />
        <button type="button" class="gb-refresh-catalog" disabled={busy} onClick={() => void refresh()}>
          {t('gb28181.refreshCatalog')}
        </button>
      </header>
      <p class="muted">
        {t('gb28181.col.vendor')}: {[device.vendor, device.model, device.firmware].filter(Boolean).join(' · ') || t('common.none')}
      </p>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {channels === null ? <p class="muted">{t('common.loading')}</p> : <ChannelsTable channels={channels} />}
      <SubscriptionsTable device={device} />
      <PasswordForm device={device} onChanged={onChanged} />
      <div class="form-actions">
        <button type="button" class="danger gb-remove" disabled={busy} onClick={() => setRemoving(true)}>
          {t('gb28181.remove')}
        </button>
      </div>
      {removing ? (
        <ConfirmDialog
          message={t('gb28181.forgetConfirm', { name: device.name, gbId: device.gbId })}
          confirmLabel={t('gb28181.remove')}
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setRemoving(false)}
        />
      ) : null}
    </div>
  );
}
