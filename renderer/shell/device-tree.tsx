// Left rail device tree: the organisation tree when the server has one, else cameras and units by group name; filter, summary.
import { useMemo, useState } from 'preact/hooks';
import { OrgTreeView } from '../devices/org-tree';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { allSources, matchingGroups, type Source } from '../state/sources';
import { useStore } from '../state/store';
import { CameraItem, UnitItem } from './tree-items';

export { CAMERA_DRAG_TYPE } from './tree-items';

/** A camera is up while recording; a unit while either of its links (video, GPS) is. */
function isUp(s: Source): boolean {
  return s.kind === 'camera' ? s.camera.status.state === 'recording' : s.unit.status.online;
}

export function DeviceTree() {
  const { t } = useI18n();
  const { cameras, units, org, search, selectedCamera, wallRequest } = useServices();
  // Until the server said whether it has the organisation tree, neither tree is drawn (no grouped tree flashing first).
  const orgKnown = useStore(org).available;
  const orgAvailable = orgKnown === true;
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
        placeholder={t(orgAvailable ? 'devices.filter.placeholder' : 'tree.filter.placeholder')}
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <div class="tree-scroll">
        {orgAvailable ? (
          <OrgTreeView query={`${globalQuery} ${filter}`} selected={selected} onSelect={(id) => selectedCamera.set(id)} onOpen={open} />
        ) : !loaded || orgKnown === null ? (
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
                          <CameraItem
                            key={s.id}
                            camera={s.camera}
                            selected={selected === s.id}
                            onSelect={() => selectedCamera.set(s.id)}
                            onOpen={() => open(s.id)}
                          />
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
