// The workspace tab registry: one entry per tab (id, label, who sees it, component). A new feature plugs in here.
import type { ComponentType } from 'preact';
import type { Role } from '../../common/api';
import type { MessageKey } from '../i18n/index';
import { AdminTab } from '../admin/admin-tab';
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
  /** Roles that see the tab; everyone when absent. */
  roles?: readonly Role[];
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
  { id: 'playback', label: 'tab.playback', component: PlaybackTab },
  { id: 'alarms', label: 'tab.alarms', component: AlarmsTab },
  { id: 'cases', label: 'tab.cases', component: CasesTab },
  { id: 'admin', label: 'tab.admin', roles: ['admin'], component: AdminTab },
];

export function tabsFor(role: Role): TabDefinition[] {
  return TABS.filter((tab) => !tab.roles || tab.roles.includes(role));
}

/** Tab shown first: system administration for administrators (they set up cameras and units first), else live view. */
export function defaultTab(role: Role): TabId {
  return role === 'admin' ? 'admin' : 'live';
}
