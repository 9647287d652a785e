// Workspace: the tab strip and the tab panels; visited tabs stay mounted (hidden) so they keep their state.
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';
import type { TabDefinition, TabId } from './tabs';

export function Workspace({ tabs }: { tabs: readonly TabDefinition[] }) {
  const { t } = useI18n();
  const { activeTab } = useServices();
  const active = useStore(activeTab);
  const [visited, setVisited] = useState<ReadonlySet<TabId>>(() => new Set([active]));
  useEffect(() => {
    if (!visited.has(active)) setVisited(new Set([...visited, active]));
  }, [active, visited]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = tabs.findIndex((x) => x.id === active);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    activeTab.set(next.id);
    (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`#tab-${next.id}`)?.focus();
    e.preventDefault();
  };

  return (
    <main class="workspace">
      <div class="tab-strip" role="tablist" aria-label={t('tab.list')} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            type="button"
            key={tab.id}
            id={`tab-${tab.id}`}
            role="tab"
            class="tab"
            aria-selected={tab.id === active}
            aria-controls={`panel-${tab.id}`}
            tabIndex={tab.id === active ? 0 : -1}
            onClick={() => activeTab.set(tab.id)}
          >
            {t(tab.label)}
          </button>
        ))}
      </div>
      {tabs.map((tab) => {
        if (!visited.has(tab.id) && tab.id !== active) return null;
        const Panel = tab.component;
        return (
          <section key={tab.id} id={`panel-${tab.id}`} class="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab.id}`} hidden={tab.id !== active}>
            <Panel />
          </section>
        );
      })}
    </main>
  );
}
