// Workspace tab "Admin": sub-navigation between cameras, mobile units, users and the audit log; visited panels keep their state.
import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../i18n/index';
import { useServices } from '../services';
import { AuditPanel } from './audit-panel';
import { CamerasPanel } from './cameras-panel';
import { UnitsPanel } from './units-panel';
import { UsersPanel } from './users-panel';

type SectionId = 'cameras' | 'units' | 'users' | 'audit';

const SECTIONS: readonly { id: SectionId; label: MessageKey; component: ComponentType }[] = [
  { id: 'cameras', label: 'admin.nav.cameras', component: CamerasPanel },
  { id: 'units', label: 'admin.nav.units', component: UnitsPanel },
  { id: 'users', label: 'admin.nav.users', component: UsersPanel },
  { id: 'audit', label: 'admin.nav.audit', component: AuditPanel },
];

export function AdminTab() {
  const { t } = useI18n();
  const { user } = useServices();
  const [active, setActive] = useState<SectionId>('cameras');
  const [visited, setVisited] = useState<ReadonlySet<SectionId>>(new Set(['cameras']));
  if (user.role !== 'admin') return <p class="muted">{t('admin.forbidden')}</p>;

  const open = (id: SectionId) => {
    setActive(id);
    if (!visited.has(id)) setVisited(new Set([...visited, id]));
  };

  return (
    <div class="admin-tab">
      <nav class="sub-nav" aria-label={t('admin.nav.label')}>
        {SECTIONS.map((s) => (
          <button type="button" key={s.id} class="sub-nav-item" aria-current={s.id === active ? 'page' : undefined} onClick={() => open(s.id)}>
            {t(s.label)}
          </button>
        ))}
      </nav>
      <div class="admin-content">
        {SECTIONS.filter((s) => visited.has(s.id)).map((s) => {
          const Panel = s.component;
          return (
            <div key={s.id} class="admin-section" hidden={s.id !== active} data-section={s.id}>
              <Panel />
            </div>
          );
        })}
      </div>
    </div>
  );
}
