// The rule editor's pickers: sources from the device tree's model (searchable, grouped, rendering a bounded number of rows so
// hundreds of cameras stay responsive) with the chosen ones as removable chips; groups from the list of existing groups.
import { useMemo, useState } from 'preact/hooks';
import { CameraIcon, CloseIcon, UnitTypeIcon } from '../components/icons';
import { OnlineDot, StatusDot } from '../components/status-dot';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { allSources, findSource, groupNames, limitGroups, matchingGroups, type Source } from '../state/sources';
import { useStore } from '../state/store';
import { toggle } from './rule-draft';

/** Rows of the tree rendered at most; more matches are reached by searching. */
export const PICKER_MAX_ROWS = 150;

function SourceRow({ source, checked, onToggle }: { source: Source; checked: boolean; onToggle: (on: boolean) => void }) {
  const { t } = useI18n();
  return (
    <li role="treeitem" aria-selected={checked} class="picker-row" data-source-id={source.id}>
      <label class="check">
        <input type="checkbox" name="sourceIds" value={source.id} checked={checked} onChange={(e) => onToggle(e.currentTarget.checked)} />
        {source.kind === 'camera' ? <StatusDot state={source.camera.status.state} /> : <OnlineDot online={source.unit.status.online} />}
        {source.kind === 'camera' ? <CameraIcon size={14} class="type-icon" /> : <UnitTypeIcon type={source.unit.type} size={14} class="type-icon" />}
        <span class="picker-name">{source.name}</span>
        {(source.kind === 'camera' ? source.camera.enabled : source.unit.enabled) ? null : <span class="tag">{t('tree.disabled')}</span>}
      </label>
    </li>
  );
}

export function SourcePicker({ selected, onChange }: { selected: readonly number[]; onChange: (ids: number[]) => void }) {
  const { t } = useI18n();
  const { cameras, units } = useServices();
  const cams = useStore(cameras);
  const us = useStore(units);
  const [query, setQuery] = useState('');
  const list = useMemo(() => allSources(cams, us), [cams, us]);
  const { groups, hidden } = useMemo(() => limitGroups(matchingGroups(list, query), PICKER_MAX_ROWS), [list, query]);
  const chosen = new Set(selected);
  const nameOf = (id: number) => findSource(cams, us, id)?.name ?? `#${id}`;

  return (
    <div class="source-picker" data-field="sourceIds">
      <div class="picker-chips" aria-live="polite">
        {selected.map((id) => (
          <span key={id} class="chip picker-chip" data-source-id={id}>
            {nameOf(id)}
            <button
              type="button"
              class="chip-remove"
              aria-label={t('alarms.rule.removeSource', { name: nameOf(id) })}
              title={t('alarms.rule.removeSource', { name: nameOf(id) })}
              onClick={() => onChange(selected.filter((x) => x !== id))}
            >
              <CloseIcon size={10} />
            </button>
          </span>
        ))}
      </div>
      <input
        type="search"
        name="sourceSearch"
        class="picker-search"
        aria-label={t('alarms.rule.sourceSearch')}
        placeholder={t('alarms.rule.sourceSearch')}
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      <div class="picker-tree">
        {groups.length === 0 ? (
          <p class="muted">{list.length === 0 ? t('tree.empty') : t('tree.noMatch')}</p>
        ) : (
          <ul class="tree" role="tree" aria-label={t('alarms.rule.sources')} aria-multiselectable="true">
            {groups.map((g) => (
              <li key={g.name ?? '\u0000'} role="treeitem" aria-expanded="true" class="picker-group" data-group={g.name ?? ''}>
                <div class="picker-group-name">{g.name ?? t('tree.ungrouped')}</div>
                <ul role="group">
                  {g.sources.map((s) => (
                    <SourceRow key={s.id} source={s} checked={chosen.has(s.id)} onToggle={(on) => onChange(toggle(selected, s.id, on))} />
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
        {hidden > 0 ? <p class="muted picker-more">{t('alarms.rule.moreMatches', { count: hidden })}</p> : null}
      </div>
    </div>
  );
}

/** Groups of the device tree to choose from; a group the rule names that no longer exists stays listed (and can be removed). */
export function GroupPicker({ selected, onChange }: { selected: readonly string[]; onChange: (groups: string[]) => void }) {
  const { t } = useI18n();
  const { cameras, units } = useServices();
  const cams = useStore(cameras);
  const us = useStore(units);
  const existing = useMemo(() => groupNames(allSources(cams, us)), [cams, us]);
  const names = [...existing, ...selected.filter((g) => !existing.includes(g))];
  if (names.length === 0) return <p class="muted">{t('alarms.rule.noGroups')}</p>;
  return (
    <div class="check-list" data-field="groups">
      {names.map((g) => (
        <label key={g} class="check">
          <input
            type="checkbox"
            name="groups"
            value={g}
            checked={selected.includes(g)}
            onChange={(e) => onChange(toggle(selected, g, e.currentTarget.checked))}
          />{' '}
          {existing.includes(g) ? g : t('alarms.rule.groupGone', { name: g })}
        </label>
      ))}
    </div>
  );
}
