// Admin → Cameras: table of all cameras with live status, add/edit/delete, and the selected camera's detail.
import { useState } from 'preact/hooks';
import type { Camera } from '../../common/api';
import { ErrorBanner } from '../components/error-banner';
import { ConfirmDialog } from '../components/modal';
import { StatusBadge } from '../components/status-dot';
import { displayUrl, formatBitrate, formatDays, formatSeconds } from '../format';
import { useI18n } from '../i18n/index';
import { transportKey } from '../labels';
import { useServices } from '../services';
import { sortedCameras } from '../state/cameras';
import { useStore } from '../state/store';
import { CameraDetail } from './camera-detail';
import { CameraForm } from './camera-form';
import { OnvifDialog } from './onvif-dialog';
import { statusReason } from '../i18n/server-messages';

type Editing = { mode: 'new' } | { mode: 'edit'; id: number } | null;

export function CamerasPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const services = useServices();
  const { api, cameras, selectedCamera, toasts } = services;
  const all = useStore(cameras);
  const loaded = useStore(cameras.loaded);
  const selected = useStore(selectedCamera);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Camera | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [onvifOpen, setOnvifOpen] = useState(false);

  const list = sortedCameras(all);
  const groups = [...new Set(list.map((c) => c.groupName).filter((g): g is string => !!g))];
  const selectedCam = selected !== null ? all.get(selected) : undefined;
  const editCam = editing?.mode === 'edit' ? (all.get(editing.id) ?? null) : null;

  const reload = () => {
    setLoadError(null);
    services.reloadCameras().catch(setLoadError);
  };

  const confirmDelete = async () => {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await api.deleteCamera(deleting.id);
      cameras.remove(deleting.id);
      if (selectedCamera.get() === deleting.id) selectedCamera.set(null);
      const name = deleting.name;
      toasts.show((tr) => tr('cameras.deleted', { name }));
      setDeleting(null);
    } catch (err) {
      setDeleteError(err);
    } finally {
      setDeleteBusy(false);
    }
  };

  return (
    <div class="admin-panel cameras-panel">
      <header class="panel-header">
        <h2>{t('cameras.title')}</h2>
        <span class="muted">{t('cameras.count', { count: list.length })}</span>
        <div class="grow" />
        <button type="button" onClick={reload}>
          {t('common.refresh')}
        </button>
        <button type="button" onClick={() => setOnvifOpen(true)}>
          {t('onvif.add.button')}
        </button>
        <button type="button" class="primary" onClick={() => setEditing({ mode: 'new' })}>
          {t('cameras.add')}
        </button>
      </header>
      {onvifOpen ? <OnvifDialog onClose={() => setOnvifOpen(false)} /> : null}
      {loadError ? <ErrorBanner error={loadError} onDismiss={() => setLoadError(null)} /> : null}
      {!loaded ? (
        <p class="muted">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p class="muted empty">{t('cameras.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table cameras-table">
            <thead>
              <tr>
                <th>{t('cameras.col.name')}</th>
                <th>{t('cameras.col.status')}</th>
                <th class="num">{t('cameras.col.bitrate')}</th>
                <th>{t('cameras.col.lastError')}</th>
                <th>{t('cameras.col.url')}</th>
                <th>{t('cameras.col.transport')}</th>
                <th class="num">{t('cameras.col.segment')}</th>
                <th class="num">{t('cameras.col.retention')}</th>
                <th>{t('cameras.col.enabled')}</th>
                <th class="actions-col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr
                  key={c.id}
                  data-camera-id={c.id}
                  data-state={c.status.state}
                  class={selected === c.id ? 'selected' : ''}
                  aria-selected={selected === c.id}
                  onClick={() => selectedCamera.set(c.id)}
                >
                  <td class="cell-name">
                    <button type="button" class="link" title={t('cameras.details')} onClick={() => selectedCamera.set(c.id)}>
                      {c.name}
                    </button>
                  </td>
                  <td class="cell-status">
                    <StatusBadge state={c.status.state} />
                  </td>
                  <td class="num cell-bitrate">{c.status.state === 'recording' ? formatBitrate(i18n, c.status.bitrateBps) : t('common.none')}</td>
                  <td class="cell-error" title={statusReason(i18n.lang, c.status.reason, c.status.lastError) ?? ''}>
                    {statusReason(i18n.lang, c.status.reason, c.status.lastError) ?? ''}
                  </td>
                  <td class="mono cell-url" title={displayUrl(c.url)}>
                    {displayUrl(c.url)}
                  </td>
                  <td>{t(transportKey(c.transport))}</td>
                  <td class="num">{formatSeconds(i18n, c.segmentSeconds)}</td>
                  <td class="num">{formatDays(i18n, c.retentionDays)}</td>
                  <td>
                    <span class={`bool ${c.enabled ? 'yes' : 'no'}`}>
                      <span aria-hidden="true">{c.enabled ? '✓' : '–'}</span> {c.enabled ? t('common.yes') : t('common.no')}
                    </span>
                  </td>
                  <td class="actions-col" onClick={(e) => e.stopPropagation()}>
                    <button type="button" class="small" onClick={() => setEditing({ mode: 'edit', id: c.id })}>
                      {t('cameras.edit')}
                    </button>
                    <button
                      type="button"
                      class="small danger"
                      onClick={() => {
                        setDeleteError(null);
                        setDeleting(c);
                      }}
                    >
                      {t('cameras.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selectedCam ? <CameraDetail key={selectedCam.id} camera={selectedCam} onClose={() => selectedCamera.set(null)} /> : null}
      {editing && (editing.mode === 'new' || editCam) ? (
        <CameraForm
          camera={editCam}
          groups={groups}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            cameras.upsert(saved);
            selectedCamera.set(saved.id);
            toasts.show((tr) => tr('cameras.saved', { name: saved.name }));
            setEditing(null);
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          message={t('cameras.deleteConfirm', { name: deleting.name })}
          confirmLabel={t('cameras.delete')}
          busy={deleteBusy}
          onConfirm={confirmDelete}
          onCancel={() => setDeleting(null)}
        >
          {deleteError ? <ErrorBanner error={deleteError} /> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
