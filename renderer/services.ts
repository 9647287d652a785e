// What every part of the signed-in console shares: API client, event stream, camera and unit lists, selection, search, tabs.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { UserInfo } from '../common/api';
import { api, ApiError, type ApiClient } from './api';
import { ErrorKind } from '../common/errors';
import { EventStream, eventsUrl } from './events';
import { CameraStore } from './state/cameras';
import { UnitStore } from './state/units';
import { devicesApi, type DevicesApi } from './devices/api';
import { OrgStore } from './devices/org-store';
import { Store } from './state/store';
import { Toasts } from './components/toasts';
import { currentToken } from './session';
import type { TabId } from './workspace/tabs';

export interface WallRequest {
  sourceId: number;
  seq: number;
  placement?: 'free';
}

export interface ConsoleServices {
  api: ApiClient;
  events: EventStream;
  cameras: CameraStore;
  /** Mobile units (they share the cameras' id space: a "source id" is either). */
  units: UnitStore;
  /** The organisation tree with devices and channels (available false: an older server without it; the tree groups by name). */
  org: OrgStore;
  devices: DevicesApi;
  /** The camera selected in the device tree or a table (null: none); tabs show it their own way. */
  selectedCamera: Store<number | null>;
  /**
   * A request to show a source on the Live tab's wall, null once the wall took it (so a wall mounted later, e.g. the first
   * visit to Live after a reload, still takes it); seq makes repeats distinct. placement 'free' (watch live from the map):
   * a free tile, not the selected one (WallController.placeSource); default: the device tree's double-click (openSource).
   */
  wallRequest: Store<WallRequest | null>;
  /** Text of the top bar's global search. */
  search: Store<string>;
  activeTab: Store<TabId>;
  toasts: Toasts;
  user: UserInfo;
  /** Loads the camera list again (after the event stream reconnected, or on demand). */
  reloadCameras(): Promise<void>;
  /** Loads the unit list again; a server without the units API leaves it empty. */
  reloadUnits(): Promise<void>;
  close(): void;
}

const TAB_KEY = 'argus.tab';

function rememberedTab(fallback: TabId, valid: readonly TabId[]): TabId {
  try {
    const v = sessionStorage.getItem(TAB_KEY) as TabId | null;
    return v && valid.includes(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

export function createServices(user: UserInfo, tabIds: readonly TabId[], defaultTab: TabId): ConsoleServices {
  const cameras = new CameraStore();
  const units = new UnitStore();
  const devices = devicesApi(api);
  const org = new OrgStore(devices);
  const events = new EventStream({
    url: () => {
      const token = currentToken();
      return token ? eventsUrl(token) : null;
    },
    // An ended session shows up as a 401 here, which sends the console back to the login page.
    onSessionDoubt: () => void api.me().catch(() => undefined),
  });
  const activeTab = new Store<TabId>(rememberedTab(defaultTab, tabIds));
  const unsubTab = activeTab.subscribe((id) => {
    try {
      sessionStorage.setItem(TAB_KEY, id);
    } catch {
      // not remembered
    }
  });
  let loading: Promise<void> | null = null;
  let loadingUnits: Promise<void> | null = null;
  const services: ConsoleServices = {
    api,
    events,
    cameras,
    units,
    org,
    devices,
    selectedCamera: new Store<number | null>(null),
    wallRequest: new Store<WallRequest | null>(null),
    search: new Store(''),
    activeTab,
    toasts: new Toasts(),
    user,
    reloadCameras() {
      loading ??= api
        .listCameras()
        .then((list) => cameras.replaceAll(list))
        .finally(() => (loading = null));
      return loading;
    },
    reloadUnits() {
      loadingUnits ??= api
        .listUnits()
        .then(
          (list) => units.replaceAll(list),
          (err: unknown) => {
            // An older server has no units API: no units, not an error.
            if (err instanceof ApiError && err.kind === ErrorKind.NotFound) units.replaceAll([]);
            else throw err;
          },
        )
        .finally(() => (loadingUnits = null));
      return loadingUnits;
    },
    close() {
      unsubTab();
      unsubEvents();
      org.close();
      events.close();
    },
  };
  const unsubEvents = events.subscribe((ev) => {
    // Every (re)connection starts with hello: reload, since events may have been missed while disconnected; so does a change of the user's rights.
    if (ev.type === 'hello' || ev.type === 'rights.changed') {
      void services.reloadCameras().catch(() => undefined);
      void services.reloadUnits().catch(() => undefined);
      void org.reload();
    } else {
      cameras.apply(ev);
      units.apply(ev);
      org.apply(ev);
    }
  });
  return services;
}

export const ServicesContext = createContext<ConsoleServices | null>(null);

export function useServices(): ConsoleServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices() outside the signed-in console');
  return s;
}
