// The workspace tab registry: one entry per tab (id, label, the rights that show it, component). A new feature plugs in here.
import type { ComponentType } from 'preact';
import { can, type Right, type RightsHolder } from '../../common/rights';
import type { MessageKey } from '../i18n/index';
import { ADMIN_RIGHTS, AdminTab } from '../admin/admin-tab';
import { LiveTab } from '../live/live-tab';
import { AlarmsTab } from '../alarms/alarms-tab';
import { CasesTab } from '../cases/cases-tab';
import { MapTab } from '../map/map-tab';
import { PlaybackTab } from '../playback/playback-tab';

export type TabId = 'live' | 'map' | 'playback' | 'alarms' | 'cases' | 'admin';

export interface TabDefinition {
  id: TabId;
  /** Catalog key of the tab's name. */
  label: MessageKey;
  /**
   * The rights (common/rights.ts, the table the server enforces) of which the user needs at least one to see the tab;
   * everyone when absent. A tab whose every request a user would be refused is not offered to them.
   */
  rights?: readonly Right[];
  /**
   * The tab's content. It is mounted on the first visit and then kept mounted (hidden while another tab
   * is active), so its state (layouts, scroll, forms, open details) survives switching tabs.
   */
  component: ComponentType;
}

/** Tabs in display order. Each feature's tab lives in its own folder (renderer/map, playback, alarms, cases). */
export const TABS: readonly TabDefinition[] = [
  { id: 'live', label: 'tab.live', component: LiveTab },
  { id: 'map', label: 'tab.map', component: MapTab },
  { id: 'playback', label: 'tab.playback', rights: ['recordings.view'], component: PlaybackTab },
  { id: 'alarms', label: 'tab.alarms', component: AlarmsTab },
  { id: 'cases', label: 'tab.cases', rights: ['cases.manage'], component: CasesTab },
  { id: 'admin', label: 'tab.admin', rights: ADMIN_RIGHTS, component: AdminTab },
];

/** The tabs the user may use, in display order. */
export function tabsFor(user: RightsHolder): TabDefinition[] {
  return TABS.filter((tab) => !tab.rights || tab.rights.some((r) => can(user, r)));
}

/** Tab shown first: system administration for those who set up cameras (they do that first), else live view. */
export function defaultTab(user: RightsHolder): TabId {
  return can(user, 'cameras.manage') ? 'admin' : 'live';
}
