// Left rail device tree: cameras grouped by groupName with status markers, a filter box, selection and drag source.
import { useMemo, useState } from 'preact/hooks';
import type { Camera } from '../../common/api';
import { StatusDot } from '../components/status-dot';
import { useI18n } from '../i18n/index';
import { statusKey } from '../labels';
import { useServices } from '../services';
import { cameraMatches, groupCameras } from '../state/cameras';
import { useStore } from '../state/store';

/** MIME type of a camera dragged from the tree (payload: the camera id); video tiles and the map accept it. */
export const CAMERA_DRAG_TYPE = 'application/x-argus-camera';

function CameraIcon() {
  return (
    <svg class="type-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <rect x="1" y="4" width="10" height="8" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.4" />
      <path d="M11 7 L15 5 V11 L11 9 Z" fill="currentColor" />
    </svg>
  );
}

function CameraItem({ camera, selected, onSelect }: { camera: Camera; selected: boolean; onSelect: () => void }) {
  const { t } = useI18n();
  const state = camera.status.state;
  const title = [camera.name, t(statusKey(state)), camera.status.lastError ?? ''].filter(Boolean).join(' · ');
  return (
    <li
      role="treeitem"
      aria-selected={selected}
      class={`tree-camera${selected ? ' selected' : ''}${camera.enabled ? '' : ' disabled'}`}
      data-camera-id={camera.id}
      data-state={state}
      title={title}
      tabIndex={selected ? 0 : -1}
      draggable
      onDragStart={(e) => {
        e.dataTransfer?.setData(CAMERA_DRAG_TYPE, String(camera.id));
        e.dataTransfer?.setData('text/plain', camera.name);
      }}
      onClick={onSelect}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect())}
    >
      <StatusDot state={state} />
      <CameraIcon />
      <span class="tree-camera-name">{camera.name}</span>
      {!camera.enabled ? <span class="tag">{t('tree.disabled')}</span> : null}
    </li>
  );
}

export function DeviceTree() {
  const { t } = useI18n();
  const { cameras, search, selectedCamera } = useServices();
  const all = useStore(cameras);
  const loaded = useStore(cameras.loaded);
  const globalQuery = useStore(search);
  const selected = useStore(selectedCamera);
  const [filter, setFilter] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const list = [...all.values()];
  const groups = useMemo(
    () => groupCameras(list.filter((c) => cameraMatches(c, globalQuery) && cameraMatches(c, filter))),
    [all, globalQuery, filter],
  );
  const recording = list.filter((c) => c.status.state === 'recording').length;
  const filtering = (globalQuery + filter).trim() !== '';

  const toggle = (key: string) => {
    const next = new Set(collapsed);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setCollapsed(next);
  };

  return (
    <nav class="left-rail" aria-label={t('tree.label')}>
      <div class="rail-header">
        <h2>{t('tree.title')}</h2>
        <span class="muted rail-summary">{t('tree.summary', { recording, total: list.length })}</span>
      </div>
      <input
        class="rail-filter"
        type="search"
        aria-label={t('tree.filter.label')}
        placeholder={t('tree.filter.placeholder')}
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <div class="tree-scroll">
        {!loaded ? (
          <p class="muted rail-note">{t('common.loading')}</p>
        ) : list.length === 0 ? (
          <p class="muted rail-note">{t('tree.empty')}</p>
        ) : groups.length === 0 && filtering ? (
          <p class="muted rail-note">{t('tree.noMatch')}</p>
        ) : (
          <ul class="tree" role="tree" aria-label={t('tree.label')}>
            {groups.map((g) => {
              const key = g.name ?? '\u0000';
              const open = filtering || !collapsed.has(key);
              const groupRecording = g.cameras.filter((c) => c.status.state === 'recording').length;
              return (
                <li key={key} role="treeitem" aria-expanded={open} class="tree-group" data-group={g.name ?? ''}>
                  <button type="button" class="tree-group-header" onClick={() => toggle(key)}>
                    <span class={`chevron${open ? ' open' : ''}`} aria-hidden="true">
                      ▸
                    </span>
                    <span class="tree-group-name">{g.name ?? t('tree.ungrouped')}</span>
                    <span class="count">
                      {groupRecording}/{t('tree.groupCount', { count: g.cameras.length })}
                    </span>
                  </button>
                  {open ? (
                    <ul role="group">
                      {g.cameras.map((c) => (
                        <CameraItem key={c.id} camera={c} selected={selected === c.id} onSelect={() => selectedCamera.set(c.id)} />
                      ))}
                    </ul>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </nav>
  );
}
