// Left rail device tree: cameras and mobile units grouped by group name, status markers, type icons, filter, drag source.
import { useMemo, useState } from 'preact/hooks';
import type { Camera, Unit } from '../../common/api';
import { CameraIcon, UnitTypeIcon } from '../components/icons';
import { OnlineDot, StatusDot } from '../components/status-dot';
import { useI18n } from '../i18n/index';
import { statusKey, unitTypeKey } from '../labels';
import { useServices } from '../services';
import { allSources, matchingGroups, type Source } from '../state/sources';
import { useStore } from '../state/store';
import { linksKey, UnitLinks, unitLinksUp } from './unit-links';
import { statusReason } from '../i18n/server-messages';

/** MIME type of a video source dragged from the tree (payload: the camera or unit id); video tiles and the map accept it. */
export const CAMERA_DRAG_TYPE = 'application/x-argus-camera';

interface ItemProps {
  selected: boolean;
  onSelect: () => void;
  onOpen: () => void;
}

function dragProps(id: number, name: string) {
  return {
    draggable: true,
    onDragStart: (e: DragEvent) => {
      e.dataTransfer?.setData(CAMERA_DRAG_TYPE, String(id));
      e.dataTransfer?.setData('text/plain', name);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'copy';
    },
  };
}

function CameraItem({ camera, selected, onSelect, onOpen }: ItemProps & { camera: Camera }) {
  const { t, lang } = useI18n();
  const state = camera.status.state;
  const title = [camera.name, t(statusKey(state)), statusReason(lang, camera.status.reason, camera.status.lastError) ?? '', t('tree.openHint')].filter(Boolean).join(' · ');
  return (
    <li
      role="treeitem"
      aria-selected={selected}
      class={`tree-camera${selected ? ' selected' : ''}${camera.enabled ? '' : ' disabled'}`}
      data-camera-id={camera.id}
      data-source-id={camera.id}
      data-state={state}
      title={title}
      tabIndex={selected ? 0 : -1}
      {...dragProps(camera.id, camera.name)}
      onClick={onSelect}
      onDblClick={onOpen}
      onKeyDown={(e) => (e.key === 'Enter' ? (e.preventDefault(), onOpen()) : e.key === ' ' && (e.preventDefault(), onSelect()))}
    >
      <StatusDot state={state} />
      <CameraIcon size={14} class="type-icon" />
      <span class="tree-camera-name">{camera.name}</span>
      {!camera.enabled ? <span class="tag">{t('tree.disabled')}</span> : null}
    </li>
  );
}

function UnitItem({ unit, selected, onSelect, onOpen }: ItemProps & { unit: Unit }) {
  const { t } = useI18n();
  const online = unit.status.online;
  const links = online ? `${t('units.online')} (${t(linksKey(unit.status))})` : t('units.offline');
  const title = [unit.callsign, t(unitTypeKey(unit.type)), unit.officer ?? '', links, unit.status.remoteAddress ?? '', t('tree.openHint')]
    .filter(Boolean)
    .join(' · ');
  return (
    <li
      role="treeitem"
      aria-selected={selected}
      class={`tree-camera tree-unit${selected ? ' selected' : ''}${unit.enabled ? '' : ' disabled'}`}
      data-unit-id={unit.id}
      data-source-id={unit.id}
      data-unit-type={unit.type}
      data-state={online ? 'online' : 'offline'}
      data-links={unitLinksUp(unit.status)}
      title={title}
      tabIndex={selected ? 0 : -1}
      {...dragProps(unit.id, unit.callsign)}
      onClick={onSelect}
      onDblClick={onOpen}
      onKeyDown={(e) => (e.key === 'Enter' ? (e.preventDefault(), onOpen()) : e.key === ' ' && (e.preventDefault(), onSelect()))}
    >
      <OnlineDot online={online} />
      <UnitTypeIcon type={unit.type} size={14} class="type-icon" />
      <span class="tree-camera-name">{unit.callsign}</span>
      {online ? <UnitLinks status={unit.status} /> : null}
      {!unit.enabled ? <span class="tag">{t('tree.disabled')}</span> : null}
    </li>
  );
}

/** A camera is up while recording; a unit while either of its links (video, GPS) is. */
function isUp(s: Source): boolean {
  return s.kind === 'camera' ? s.camera.status.state === 'recording' : s.unit.status.online;
}

export function DeviceTree() {
  const { t } = useI18n();
  const { cameras, units, search, selectedCamera, wallRequest } = useServices();
  const cams = useStore(cameras);
  const us = useStore(units);
  const loaded = useStore(cameras.loaded);
  const globalQuery = useStore(search);
  const selected = useStore(selectedCamera);
  const [filter, setFilter] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const list = useMemo(() => allSources(cams, us), [cams, us]);
  const groups = useMemo(() => matchingGroups(list, globalQuery, filter), [list, globalQuery, filter]);
  const camList = [...cams.values()];
  const recording = camList.filter((c) => c.status.state === 'recording').length;
  const unitList = [...us.values()];
  const unitsOnline = unitList.filter((u) => u.status.online).length;
  const filtering = (globalQuery + filter).trim() !== '';

  const toggle = (key: string) => {
    const next = new Set(collapsed);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setCollapsed(next);
  };
  const open = (id: number) => {
    selectedCamera.set(id);
    wallRequest.set({ sourceId: id, seq: (wallRequest.get()?.seq ?? 0) + 1 });
  };

  return (
    <nav class="left-rail" aria-label={t('tree.label')}>
      <div class="rail-header">
        <h2>{t('tree.title')}</h2>
        <span class="muted rail-summary">
          <span class="rail-summary-cameras">{t('tree.summary', { recording, total: camList.length })}</span>
          {unitList.length ? <span class="rail-summary-units">{t('tree.unitSummary', { online: unitsOnline, total: unitList.length })}</span> : null}
        </span>
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
              const isOpen = filtering || !collapsed.has(key);
              const up = g.sources.filter(isUp).length;
              return (
                <li key={key} role="treeitem" aria-expanded={isOpen} class="tree-group" data-group={g.name ?? ''}>
                  <button type="button" class="tree-group-header" onClick={() => toggle(key)} title={t('tree.groupUpHint', { up, total: g.sources.length })}>
                    <span class={`chevron${isOpen ? ' open' : ''}`} aria-hidden="true">
                      ▸
                    </span>
                    <span class="tree-group-name">{g.name ?? t('tree.ungrouped')}</span>
                    <span class="count">
                      {up}/{t('tree.groupCount', { count: g.sources.length })}
                    </span>
                  </button>
                  {isOpen ? (
                    <ul role="group">
                      {g.sources.map((s) =>
                        s.kind === 'camera' ? (
                          <CameraItem key={s.id} camera={s.camera} selected={selected === s.id} onSelect={() => selectedCamera.set(s.id)} onOpen={() => open(s.id)} />
                        ) : (
                          <UnitItem key={s.id} unit={s.unit} selected={selected === s.id} onSelect={() => selectedCamera.set(s.id)} onOpen={() => open(s.id)} />
                        ),
                      )}
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
