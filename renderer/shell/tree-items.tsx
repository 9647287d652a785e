// Rows of the device tree shared by the grouped tree and the organisation tree: a camera, a unit, their drag to tiles and the map.
import type { Camera, Unit } from '../../common/api';
import { CameraIcon, UnitTypeIcon } from '../components/icons';
import { OnlineDot, StatusDot } from '../components/status-dot';
import { useI18n } from '../i18n/index';
import { statusKey, unitTypeKey } from '../labels';
import { linksKey, UnitLinks, unitLinksUp } from './unit-links';
import { statusReason } from '../i18n/server-messages';

/** MIME type of a video source dragged from the tree (payload: the camera or unit id); video tiles and the map accept it. */
export const CAMERA_DRAG_TYPE = 'application/x-argus-camera';

export interface ItemProps {
  selected: boolean;
  onSelect: () => void;
  onOpen: () => void;
}

export function dragProps(id: number, name: string) {
  return {
    draggable: true,
    onDragStart: (e: DragEvent) => {
      e.dataTransfer?.setData(CAMERA_DRAG_TYPE, String(id));
      e.dataTransfer?.setData('text/plain', name);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'copy';
    },
  };
}

export function CameraItem({ camera, selected, onSelect, onOpen }: ItemProps & { camera: Camera }) {
  const { t, lang } = useI18n();
  const state = camera.status.state;
  const title = [camera.name, t(statusKey(state)), statusReason(lang, camera.status.reason, camera.status.lastError) ?? '', t('tree.openHint')]
    .filter(Boolean)
    .join(' · ');
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

export function UnitItem({ unit, selected, onSelect, onOpen }: ItemProps & { unit: Unit }) {
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
