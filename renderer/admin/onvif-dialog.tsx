// Admin → Cameras → "Add ONVIF device": discovery (segment + directed ranges), one-step add form, and the devices with their health.
import { useEffect, useState } from 'preact/hooks';
import type { DiscoveredDevice, OnvifDeviceView } from '../../common/onvif';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';
import { statusReason } from '../i18n/server-messages';
import { onvifApi } from '../live/ptz-api';
import { useServices } from '../services';

export function OnvifDialog({ onClose }: { onClose: () => void }) {
  const { t, lang } = useI18n();
  const services = useServices();
  const [targets, setTargets] = useState('');
  const [discoveryPort, setDiscoveryPort] = useState('3702');
  const [found, setFound] = useState<DiscoveredDevice[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<unknown>(null);
  const [form, setForm] = useState({ host: '', port: '80', username: '', password: '', name: '' });
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<unknown>(null);
  const [devices, setDevices] = useState<OnvifDeviceView[]>([]);

  const loadDevices = () => onvifApi.devices().then(setDevices, () => undefined);
  useEffect(() => {
    void loadDevices();
    return services.events.subscribe((ev) => {
      if (ev.type === 'onvif.health') setDevices((list) => list.map((d) => (d.id === ev.health.deviceId ? { ...d, health: ev.health } : d)));
    });
  }, []);

  const search = async () => {
    setSearching(true);
    setSearchError(null);
    try {
      const list = targets
        .split(/[\s,;]+/)
        .map((x) => x.trim())
        .filter(Boolean);
      const r = await onvifApi.discover({ targets: list, port: Number(discoveryPort) || 3702, timeoutMs: 3000 });
      setFound(r.devices);
    } catch (err) {
      setSearchError(err);
    } finally {
      setSearching(false);
    }
  };

  const add = async (e: Event) => {
    e.preventDefault();
    setAdding(true);
    setAddError(null);
    try {
      const r = await onvifApi.add({
        host: form.host.trim(),
        port: Number(form.port) || 80,
        username: form.username,
        password: form.password,
        ...(form.name.trim() ? { name: form.name.trim() } : {}),
      });
      await services.reloadCameras();
      const model = r.device.model || r.device.host;
      services.toasts.show((tr) => tr('onvif.form.done', { count: r.cameraIds.length, model }));
      setForm({ host: '', port: '80', username: '', password: '', name: '' });
      void loadDevices();
      if (found) setFound(found.map((d) => (d.host === r.device.host && d.port === r.device.port ? { ...d, addedDeviceId: r.device.id } : d)));
    } catch (err) {
      setAddError(err);
    } finally {
      setAdding(false);
    }
  };

  const fieldError = (name: string) => (addError instanceof ApiError ? addError.fieldMessage(name) : undefined);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  return (
    <Modal title={t('onvif.add.title')} onClose={onClose} wide class="onvif-dialog">
      <section>
        <h3>{t('onvif.discover.title')}</h3>
        <div class="onvif-form">
          <Field label={t('onvif.discover.targets')} name="onvif-targets" hint={t('onvif.discover.targetsHint')}>
            <input {...fieldProps('onvif-targets')} value={targets} onInput={(e) => setTargets((e.target as HTMLInputElement).value)} />
          </Field>
          <Field label={t('onvif.discover.port')} name="onvif-dport">
            <input
              {...fieldProps('onvif-dport')}
              type="number"
              min="1"
              max="65535"
              value={discoveryPort}
              onInput={(e) => setDiscoveryPort((e.target as HTMLInputElement).value)}
            />
          </Field>
        </div>
        <button type="button" class="primary" disabled={searching} onClick={search}>
          {searching ? t('onvif.discover.running') : t('onvif.discover.run')}
        </button>
        {searchError ? <ErrorBanner error={searchError} onDismiss={() => setSearchError(null)} /> : null}
        {found ? (
          found.length === 0 ? (
            <p class="muted">{t('onvif.discover.none')}</p>
          ) : (
            <div class="table-scroll">
              <p class="muted">{t('onvif.discover.found', { count: found.length })}</p>
              <table class="data-table onvif-found">
                <thead>
                  <tr>
                    <th>{t('onvif.col.address')}</th>
                    <th>{t('onvif.col.manufacturer')}</th>
                    <th>{t('onvif.col.model')}</th>
                    <th>{t('onvif.col.firmware')}</th>
                    <th>{t('onvif.col.serial')}</th>
                    <th>{t('onvif.col.added')}</th>
                    <th class="actions-col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {found.map((d) => (
                    <tr key={d.urn} data-urn={d.urn}>
                      <td class="mono">
                        {d.host}:{d.port}
                      </td>
                      <td>{d.manufacturer ?? t('common.none')}</td>
                      <td>{d.model ?? t('common.none')}</td>
                      <td>{d.firmware ?? t('common.none')}</td>
                      <td>{d.serial ?? t('common.none')}</td>
                      <td>{d.addedDeviceId !== null ? t('onvif.added') : t('common.no')}</td>
                      <td class="actions-col">
                        <button
                          type="button"
                          class="small"
                          disabled={d.addedDeviceId !== null}
                          onClick={() => setForm({ ...form, host: d.host, port: String(d.port) })}
                        >
                          {t('onvif.use')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
      </section>

      <form onSubmit={add}>
        <h3>{t('onvif.form.title')}</h3>
        {addError ? <ErrorBanner error={addError} fieldsShown onDismiss={() => setAddError(null)} /> : null}
        <div class="onvif-form">
          <Field label={t('onvif.form.host')} name="onvif-host" error={fieldError('host')}>
            <input {...fieldProps('onvif-host', fieldError('host'))} required value={form.host} onInput={set('host')} />
          </Field>
          <Field label={t('onvif.form.port')} name="onvif-port" error={fieldError('port')}>
            <input {...fieldProps('onvif-port', fieldError('port'))} type="number" min="1" max="65535" value={form.port} onInput={set('port')} />
          </Field>
          <Field label={t('onvif.form.username')} name="onvif-username" error={fieldError('username')}>
            <input {...fieldProps('onvif-username', fieldError('username'))} required autocomplete="off" value={form.username} onInput={set('username')} />
          </Field>
          <Field label={t('onvif.form.password')} name="onvif-password" error={fieldError('password')}>
            <input
              {...fieldProps('onvif-password', fieldError('password'))}
              type="password"
              autocomplete="new-password"
              value={form.password}
              onInput={set('password')}
            />
          </Field>
          <Field label={t('onvif.form.name')} name="onvif-name" error={fieldError('name')} hint={t('onvif.form.nameHint')} wide>
            <input {...fieldProps('onvif-name', fieldError('name'))} maxLength={60} value={form.name} onInput={set('name')} />
          </Field>
        </div>
        <button type="submit" class="primary" disabled={adding || !form.host || !form.username}>
          {adding ? t('onvif.form.adding') : t('onvif.form.add')}
        </button>
      </form>

      <section>
        <h3>{t('onvif.devices.title')}</h3>
        {devices.length === 0 ? (
          <p class="muted">{t('onvif.devices.empty')}</p>
        ) : (
          <div class="table-scroll">
            <table class="data-table onvif-devices">
              <thead>
                <tr>
                  <th>{t('onvif.col.address')}</th>
                  <th>{t('onvif.col.model')}</th>
                  <th>{t('onvif.col.health')}</th>
                  <th>{t('onvif.col.clock')}</th>
                  <th>{t('onvif.col.events')}</th>
                  <th>{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {devices.map((d) => {
                  const sec = d.health.clockOffsetMs !== null ? (d.health.clockOffsetMs / 1000).toFixed(1) : null;
                  return (
                    <tr key={d.id} data-device-id={d.id}>
                      <td class="mono">
                        {d.host}:{d.port}
                      </td>
                      <td title={`${t('onvif.col.firmware')} ${d.firmware}`}>
                        {[d.manufacturer, d.model].filter(Boolean).join(' ')}
                        {d.serial ? ` (${d.serial})` : ''}
                      </td>
                      <td title={statusReason(lang, d.health.reason, d.health.error) ?? ''}>
                        {d.health.reachable ? `● ${t('onvif.devices.reachable')}` : `○ ${t('onvif.devices.unreachable')}`}
                      </td>
                      <td class={d.health.clockSkewed ? 'onvif-skew' : ''} title={d.health.clockSkewed ? t('onvif.ptz.clockSkewHint') : ''}>
                        {sec === null
                          ? t('common.none')
                          : d.health.clockSkewed
                            ? `⚠ ${t('onvif.devices.clockOff', { seconds: sec })}`
                            : t('onvif.devices.clockOk', { seconds: sec })}
                      </td>
                      <td>
                        {d.events === 'supported'
                          ? t('onvif.devices.eventsSupported')
                          : d.events === 'unsupported'
                            ? t('onvif.devices.eventsUnsupported')
                            : t('onvif.devices.eventsUnknown')}
                      </td>
                      <td>
                        <button
                          type="button"
                          class="small danger"
                          onClick={() => {
                            if (!window.confirm(t('onvif.devices.removeConfirm', { address: `${d.host}:${d.port}` }))) return;
                            onvifApi.remove(d.id).then(() => loadDevices(), setAddError);
                          }}
                        >
                          {t('onvif.devices.remove')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Modal>
  );
}
