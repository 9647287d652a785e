// Admin → GB/T 28181: the SIP server's settings, devices awaiting approval (approve into a node, reject) and the approved devices with their details.
import { useEffect, useState } from 'preact/hooks';
import * as E from '../../common/endpoints';
import type { GbDeviceView, GbSettingsView } from '../../common/gb28181';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { ConfirmDialog } from '../components/modal';
import { OnlineBadge } from '../components/status-dot';
import { flatNodes, rootNode } from '../devices/org-state';
import { useNodeName } from '../devices/org-tree';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { GbDeviceDetails, peerText, type Reload } from './gb28181-device';
import { GbAddDevice } from './gb28181-add';
import { SettingsSection } from './gb28181-settings';
import './gb28181.css';

/** How often the lists are read again while the panel is open (registrations and keepalives change without an event). */
const REFRESH_MS = 5_000;

interface GbData {
  settings: GbSettingsView | null;
  devices: GbDeviceView[] | null;
  error: unknown;
  unavailable: boolean;
  reload: Reload;
}

function useGbData(): GbData {
  const { api, events } = useServices();
  const [settings, setSettings] = useState<GbSettingsView | null>(null);
  const [devices, setDevices] = useState<GbDeviceView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [unavailable, setUnavailable] = useState(false);
  const reload = async () => {
    try {
      const [s, d] = await Promise.all([api.call(E.getGb28181Settings), api.call(E.getGb28181Devices)]);
      setSettings(s);
      setDevices(d);
      setError(null);
      setUnavailable(false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 503) setUnavailable(true);
      else setError(err);
    }
  };
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), REFRESH_MS);
    const unsub = events.subscribe((ev) => {
      if (ev.type === 'device.changed' || ev.type === 'device.deleted' || ev.type === 'device.status' || ev.type === 'channel.changed') void reload();
    });
    return () => {
      clearInterval(timer);
      unsub();
    };
  }, []);
  return { settings, devices, error, unavailable, reload };
}

function PendingRow({ device, onDone }: { device: GbDeviceView; onDone: Reload }) {
  const { t } = useI18n();
  const { api, org, toasts } = useServices();
  const state = useStore(org);
  const nameOf = useNodeName();
  const [nodeId, setNodeId] = useState(String(rootNode(state)?.id ?? 1));
  const [name, setName] = useState(device.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [rejecting, setRejecting] = useState(false);
  const run = async (fn: Reload) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await Promise.all([onDone(), org.reload()]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const approve = () =>
    run(async () => {
      const d = await api.call(E.postGb28181DevicesByidApprove, {
        params: { id: device.deviceId },
        body: { nodeId: Number(nodeId), ...(name.trim() && name.trim() !== device.name ? { name: name.trim() } : {}) },
      });
      const node = state.nodes.get(d.nodeId);
      toasts.show((tr) => tr('gb28181.approved', { name: d.name, node: node ? node.name || tr('devices.root') : String(d.nodeId) }));
    });
  const reject = () =>
    run(async () => {
      await api.call(E.postGb28181DevicesByidReject, { params: { id: device.deviceId } });
      setRejecting(false);
      toasts.show((tr) => tr('gb28181.rejected', { gbId: device.gbId }));
    });
  return (
    <tr data-gb-id={device.gbId} data-device-id={device.deviceId} class="gb-pending-row">
      <td>
        <code>{device.gbId}</code>
        {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      </td>
      <td>{formatDateTime(device.createdMs)}</td>
      <td>{formatDateTime(device.lastRegisterMs)}</td>
      <td>{peerText(t, device.peer)}</td>
      <td>
        <input
          name="gbName"
          value={name}
          maxLength={128}
          aria-label={t('gb28181.pending.name', { gbId: device.gbId })}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </td>
      <td>
        <select name="gbNode" value={nodeId} aria-label={t('gb28181.pending.node', { gbId: device.gbId })} onChange={(e) => setNodeId(e.currentTarget.value)}>
          {flatNodes(state).map(({ node, depth }) => (
            <option key={node.id} value={node.id}>
              {'\u00a0\u00a0'.repeat(depth)}
              {nameOf(node)}
            </option>
          ))}
        </select>
      </td>
      <td class="actions-col">
        <button type="button" class="primary gb-approve" disabled={busy} onClick={() => void approve()}>
          {t('gb28181.approve')}
        </button>
        <button type="button" class="danger gb-reject" disabled={busy} onClick={() => setRejecting(true)}>
          {t('gb28181.reject')}
        </button>
        {rejecting ? (
          <ConfirmDialog
            message={t('gb28181.rejectConfirm', { gbId: device.gbId })}
            confirmLabel={t('gb28181.reject')}
            busy={busy}
            onConfirm={() => void reject()}
            onCancel={() => setRejecting(false)}
          />
        ) : null}
      </td>
    </tr>
  );
}

function PendingSection({ devices, onDone }: { devices: GbDeviceView[]; onDone: Reload }) {
  const { t } = useI18n();
  return (
    <section class="gb-pending" aria-label={t('gb28181.pending.title', { count: devices.length })}>
      <h3>{t('gb28181.pending.title', { count: devices.length })}</h3>
      {devices.length === 0 ? (
        <p class="muted">{t('gb28181.pending.none')}</p>
      ) : (
        <table class="data-table gb-pending-table">
          <thead>
            <tr>
              <th>{t('gb28181.col.gbId')}</th>
              <th>{t('gb28181.col.firstSeen')}</th>
              <th>{t('gb28181.col.lastRegister')}</th>
              <th>{t('gb28181.col.peer')}</th>
              <th>{t('gb28181.col.name')}</th>
              <th>{t('devices.admin.parent')}</th>
              <th class="actions-col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <PendingRow key={d.deviceId} device={d} onDone={onDone} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DevicesSection({ devices, onChanged }: { devices: GbDeviceView[]; onChanged: Reload }) {
  const { t } = useI18n();
  const [openId, setOpenId] = useState<number | null>(null);
  const open = devices.find((d) => d.deviceId === openId) ?? null;
  return (
    <section class="gb-devices" aria-label={t('gb28181.devices.title', { count: devices.length })}>
      <h3>{t('gb28181.devices.title', { count: devices.length })}</h3>
      {devices.length === 0 ? (
        <p class="muted">{t('gb28181.devices.none')}</p>
      ) : (
        <table class="data-table gb-devices-table">
          <thead>
            <tr>
              <th>{t('gb28181.col.name')}</th>
              <th>{t('gb28181.col.gbId')}</th>
              <th>{t('gb28181.col.state')}</th>
              <th>{t('gb28181.col.lastRegister')}</th>
              <th>{t('gb28181.col.lastKeepalive')}</th>
              <th>{t('gb28181.col.peer')}</th>
              <th class="num">{t('gb28181.col.channels')}</th>
              <th>{t('gb28181.col.subscriptions')}</th>
              <th class="actions-col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.deviceId} data-gb-id={d.gbId} data-device-id={d.deviceId} data-state={d.state} class={d.deviceId === openId ? 'selected' : undefined}>
                <td>{d.name}</td>
                <td>
                  <code>{d.gbId}</code>
                </td>
                <td>
                  <OnlineBadge online={d.state === 'online'} />
                </td>
                <td>{formatDateTime(d.lastRegisterMs)}</td>
                <td>{formatDateTime(d.lastKeepaliveMs)}</td>
                <td>{peerText(t, d.peer)}</td>
                <td class="num">{d.channelCount}</td>
                <td>{t('gb28181.subs.summary', { active: d.subscriptions.filter((s) => s.state === 'active').length, total: d.subscriptions.length })}</td>
                <td class="actions-col">
                  <button
                    type="button"
                    class="gb-details"
                    aria-expanded={d.deviceId === openId}
                    onClick={() => setOpenId(d.deviceId === openId ? null : d.deviceId)}
                  >
                    {d.deviceId === openId ? t('gb28181.hideDetails') : t('gb28181.details')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <GbAddDevice onAdded={onChanged} />
      {open ? <GbDeviceDetails key={open.deviceId} device={open} onChanged={onChanged} onRemoved={() => setOpenId(null)} /> : null}
    </section>
  );
}

export function Gb28181Panel() {
  const { t } = useI18n();
  const data = useGbData();
  const pending = (data.devices ?? []).filter((d) => !d.approved);
  const approved = (data.devices ?? []).filter((d) => d.approved);
  return (
    <div class="admin-panel gb-panel">
      <header class="panel-header">
        <h2>{t('gb28181.title')}</h2>
        <div class="grow" />
        <button type="button" onClick={() => void data.reload()}>
          {t('common.refresh')}
        </button>
      </header>
      <p class="muted">{t('gb28181.intro')}</p>
      {data.error ? <ErrorBanner error={data.error} /> : null}
      {data.unavailable ? (
        <p class="muted gb-unavailable">{t('gb28181.unavailable')}</p>
      ) : !data.settings || !data.devices ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <>
          <SettingsSection settings={data.settings} onChanged={data.reload} />
          <PendingSection devices={pending} onDone={data.reload} />
          <DevicesSection devices={approved} onChanged={data.reload} />
        </>
      )}
    </div>
  );
}
