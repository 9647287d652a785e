// Workspace tab "Admin": sub-navigation between cameras, mobile units, users, the audit log, the organisation, access and GB/T 28181 (each by its right); visited panels keep their state.
import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import { can, type Right } from '../../common/rights';
import { useI18n, type MessageKey } from '../i18n/index';
import { useServices } from '../services';
import { AccessPanel } from './access-panel';
import { AuditPanel } from './audit-panel';
import { CamerasPanel } from './cameras-panel';
import { Gb28181Panel } from './gb28181-panel';
import { OrgPanel } from './org-panel';
import { UnitsPanel } from './units-panel';
import { UsersPanel } from './users-panel';
import './admin.css';

type SectionId = 'cameras' | 'units' | 'users' | 'audit' | 'org' | 'access' | 'gb28181';

const SECTIONS: readonly { id: SectionId; label: MessageKey; right: Right; component: ComponentType }[] = [
  { id: 'cameras', label: 'admin.nav.cameras', right: 'cameras.manage', component: CamerasPanel },
  { id: 'units', label: 'admin.nav.units', right: 'units.manage', component: UnitsPanel },
  { id: 'users', label: 'admin.nav.users', right: 'users.manage', component: UsersPanel },
  { id: 'audit', label: 'admin.nav.audit', right: 'audit.view', component: AuditPanel },
  { id: 'org', label: 'devices.admin.nav', right: 'org.manage', component: OrgPanel },
  { id: 'access', label: 'access.nav', right: 'access.manage', component: AccessPanel },
  { id: 'gb28181', label: 'gb28181.nav', right: 'devices.manage', component: Gb28181Panel },
];

/** The rights that show the Admin tab (any one of them: its sections are filtered by their own). */
export const ADMIN_RIGHTS: readonly Right[] = SECTIONS.map((s) => s.right);

export function AdminTab() {
  const { t } = useI18n();
  const { user } = useServices();
  const sections = SECTIONS.filter((s) => can(user, s.right));
  const [active, setActive] = useState<SectionId | undefined>(sections[0]?.id);
  const [visited, setVisited] = useState<ReadonlySet<SectionId>>(new Set(sections.slice(0, 1).map((s) => s.id)));
  if (sections.length === 0 || !active) return <p class="muted">{t('admin.forbidden')}</p>;

  const open = (id: SectionId) => {
    setActive(id);
    if (!visited.has(id)) setVisited(new Set([...visited, id]));
  };

  return (
    <div class="admin-tab">
      <nav class="sub-nav" aria-label={t('admin.nav.label')}>
        {sections.map((s) => (
          <button type="button" key={s.id} class="sub-nav-item" aria-current={s.id === active ? 'page' : undefined} onClick={() => open(s.id)}>
            {t(s.label)}
          </button>
        ))}
      </nav>
      <div class="admin-content">
        {sections
          .filter((s) => visited.has(s.id))
          .map((s) => {
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
