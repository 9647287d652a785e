// What every part of the signed-in console shares: API client, event stream, camera list, selection, search, tabs.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { UserInfo } from '../common/api';
import { api, type ApiClient } from './api';
import { EventStream, eventsUrl } from './events';
import { CameraStore } from './state/cameras';
import { Store } from './state/store';
import { Toasts } from './components/toasts';
import { currentToken } from './session';
import type { TabId } from './workspace/tabs';

export interface ConsoleServices {
  api: ApiClient;
  events: EventStream;
  cameras: CameraStore;
  /** The camera selected in the device tree or a table (null: none); tabs show it their own way. */
  selectedCamera: Store<number | null>;
  /** Text of the top bar's global search. */
  search: Store<string>;
  activeTab: Store<TabId>;
  toasts: Toasts;
  user: UserInfo;
  /** Loads the camera list again (after the event stream reconnected, or on demand). */
  reloadCameras(): Promise<void>;
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
  const services: ConsoleServices = {
    api,
    events,
    cameras,
    selectedCamera: new Store<number | null>(null),
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
    close() {
      unsubTab();
      unsubEvents();
      events.close();
    },
  };
  const unsubEvents = events.subscribe((ev) => {
    // Every (re)connection starts with hello: reload, since events may have been missed while disconnected.
    if (ev.type === 'hello') void services.reloadCameras().catch(() => undefined);
    else cameras.apply(ev);
  });
  return services;
}

export const ServicesContext = createContext<ConsoleServices | null>(null);

export function useServices(): ConsoleServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices() outside the signed-in console');
  return s;
}
