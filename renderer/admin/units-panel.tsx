// Admin → Units (移动终端): live status table, create (key shown once), edit, enable/disable, rotate key, delete.
import { useState } from 'preact/hooks';
import type { Unit, UnitKey } from '../../common/api';
import { UnitTypeIcon } from '../components/icons';
import { ErrorBanner } from '../components/error-banner';
import { ConfirmDialog } from '../components/modal';
import { OnlineBadge, StatusBadge } from '../components/status-dot';
import { formatBitrate, formatDateTime } from '../format';
import { useI18n } from '../i18n/index';
import { unitTypeKey } from '../labels';
import { useServices } from '../services';
import { sortedUnits } from '../state/units';
import { useStore } from '../state/store';
import { UnitForm } from './unit-form';
import { UnitKeyDialog } from './unit-key-dialog';
import { UnitLinks } from '../shell/unit-links';
import { statusReason } from '../i18n/server-messages';

type Editing = { mode: 'new' } | { mode: 'edit'; id: number } | null;
type Confirming = { action: 'delete' | 'rotate' | 'disable'; unit: Unit } | null;

export function UnitsPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const services = useServices();
  const { api, units, cameras, toasts } = services;
  const all = useStore(units);
  const loaded = useStore(units.loaded);
  const cams = useStore(cameras);
  const [editing, setEditing] = useState<Editing>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const [shownKey, setShownKey] = useState<{ key: UnitKey; rotated: boolean } | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const list = sortedUnits(all);
  const groups = [...new Set([...list.map((u) => u.groupName), ...[...cams.values()].map((c) => c.groupName)].filter((g): g is string => !!g))].sort();
  const editUnit = editing?.mode === 'edit' ? (all.get(editing.id) ?? null) : null;

  const reload = () => {
    setLoadError(null);
    services.reloadUnits().catch(setLoadError);
  };

  const setEnabled = async (u: Unit, enabled: boolean) => {
    setRowError(null);
    try {
      units.upsert(await api.updateUnit(u.id, { enabled }));
    } catch (err) {
      setRowError(err);
    }
  };

  const confirm = async () => {
    if (!confirming) return;
    const { action, unit } = confirming;
    setBusy(true);
    setActionError(null);
    try {
      switch (action) {
        case 'delete':
          await api.deleteUnit(unit.id);
          units.remove(unit.id);
          toasts.show((tr) => tr('units.deleted', { name: unit.callsign }));
          break;
        case 'rotate': {
          const key = await api.rotateUnitKey(unit.id);
          units.upsert(key.unit);
          setShownKey({ key, rotated: true });
          break;
        }
        case 'disable':
          units.upsert(await api.updateUnit(unit.id, { enabled: false }));
          break;
      }
      setConfirming(null);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirmText = (c: NonNullable<Confirming>) => {
    const name = c.unit.callsign;
    switch (c.action) {
      case 'delete':
        return { message: t('units.deleteConfirm', { name }), label: t('units.delete') };
      case 'rotate':
        return { message: t('units.rotateConfirm', { name }), label: t('units.rotate') };
      case 'disable':
        return { message: t('units.disableConfirm', { name }), label: t('units.disable') };
    }
  };

  return (
    <div class="admin-panel units-panel">
      <header class="panel-header">
        <h2>{t('units.title')}</h2>
        <span class="muted">{t('units.count', { count: list.length, online: list.filter((u) => u.status.online).length })}</span>
        <div class="grow" />
        <button type="button" onClick={reload}>
          {t('common.refresh')}
        </button>
        <button type="button" class="primary" onClick={() => setEditing({ mode: 'new' })}>
          {t('units.add')}
        </button>
      </header>
      {loadError ? <ErrorBanner error={loadError} onDismiss={() => setLoadError(null)} /> : null}
      {rowError ? <ErrorBanner error={rowError} onDismiss={() => setRowError(null)} /> : null}
      {!loaded ? (
        <p class="muted">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p class="muted empty">{t('units.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table units-table">
            <thead>
              <tr>
                <th>{t('units.col.callsign')}</th>
                <th>{t('units.col.type')}</th>
                <th>{t('units.col.status')}</th>
                <th>{t('units.col.address')}</th>
                <th class="num">{t('units.col.bitrate')}</th>
                <th>{t('units.col.recording')}</th>
                <th>{t('units.col.officer')}</th>
                <th>{t('units.col.group')}</th>
                <th>{t('units.col.keyRotated')}</th>
                <th>{t('cameras.col.enabled')}</th>
                <th class="actions-col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id} data-unit-id={u.id} data-online={u.status.online} class={u.enabled ? '' : 'row-disabled'}>
                  <td class="cell-name">{u.callsign}</td>
                  <td class="nowrap">
                    <span class="unit-type">
                      <UnitTypeIcon type={u.type} size={15} />
                      {t(unitTypeKey(u.type))}
                    </span>
                  </td>
                  <td class="cell-status nowrap" title={t('units.since', { time: formatDateTime(u.status.sinceMs) })}>
                    <OnlineBadge online={u.status.online} /> {u.status.online ? <UnitLinks status={u.status} /> : null}
                  </td>
                  <td class="mono cell-address">{u.status.video.online && u.status.remoteAddress ? u.status.remoteAddress : t('common.none')}</td>
                  <td class="num cell-bitrate">{u.status.video.online ? formatBitrate(i18n, u.status.bitrateBps) : t('common.none')}</td>
                  <td class="cell-recording" title={statusReason(i18n.lang, u.status.reason, u.status.lastError) ?? ''}>
                    <StatusBadge state={u.status.recording} />
                  </td>
                  <td>{u.officer ?? t('common.none')}</td>
                  <td>{u.groupName ?? t('common.none')}</td>
                  <td class="mono nowrap">{formatDateTime(u.keyRotatedMs)}</td>
                  <td>
                    <span class={`bool ${u.enabled ? 'yes' : 'no'}`}>
                      <span aria-hidden="true">{u.enabled ? '✓' : '⊘'}</span> {u.enabled ? t('common.yes') : t('common.no')}
                    </span>
                  </td>
                  <td class="actions-col">
                    <button type="button" class="small" onClick={() => setEditing({ mode: 'edit', id: u.id })}>
                      {t('units.edit')}
                    </button>
                    {u.enabled ? (
                      <button
                        type="button"
                        class="small"
                        onClick={() => {
                          setActionError(null);
                          setConfirming({ action: 'disable', unit: u });
                        }}
                      >
                        {t('units.disable')}
                      </button>
                    ) : (
                      <button type="button" class="small" onClick={() => void setEnabled(u, true)}>
                        {t('units.enable')}
                      </button>
                    )}
                    <button
                      type="button"
                      class="small"
                      onClick={() => {
                        setActionError(null);
                        setConfirming({ action: 'rotate', unit: u });
                      }}
                    >
                      {t('units.rotate')}
                    </button>
                    <button
                      type="button"
                      class="small danger"
                      onClick={() => {
                        setActionError(null);
                        setConfirming({ action: 'delete', unit: u });
                      }}
                    >
                      {t('units.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (editing.mode === 'new' || editUnit) ? (
        <UnitForm
          unit={editUnit}
          groups={groups}
          onClose={() => setEditing(null)}
          onCreated={(key) => {
            units.upsert(key.unit);
            setEditing(null);
            setShownKey({ key, rotated: false });
          }}
          onSaved={(u) => {
            units.upsert(u);
            setEditing(null);
            toasts.show((tr) => tr('units.saved', { name: u.callsign }));
          }}
        />
      ) : null}
      {confirming ? (
        <ConfirmDialog
          message={confirmText(confirming).message}
          confirmLabel={confirmText(confirming).label}
          busy={busy}
          onConfirm={confirm}
          onCancel={() => setConfirming(null)}
        >
          {actionError ? <ErrorBanner error={actionError} /> : null}
        </ConfirmDialog>
      ) : null}
      {shownKey ? <UnitKeyDialog unitKey={shownKey.key} rotated={shownKey.rotated} onClose={() => setShownKey(null)} /> : null}
    </div>
  );
}
