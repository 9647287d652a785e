// The signed-in console frame: top bar, left rail device tree, workspace tabs (a right dock slots in later); or a wall window.
import { useEffect, useMemo } from 'preact/hooks';
import type { UserInfo } from '../common/api';
import { ToastArea } from './components/toasts';
import { createServices, ServicesContext } from './services';
import { serveSession } from './live/session-share';
import { WallWindow } from './live/wall-window';
import { endSession, sessionStore, updateSessionUser } from './session';
import { wallDisplayId } from './shell/argus-shell';
import { DeviceTree } from './shell/device-tree';
import { TopBar } from './shell/top-bar';
import { Workspace } from './workspace/workspace';
import { defaultTab, tabsFor } from './workspace/tabs';

export function Console({ user }: { user: UserInfo }) {
  const wallId = useMemo(() => wallDisplayId(location.hash), []);
  const tabs = useMemo(() => tabsFor(user), [user.role]);
  const services = useMemo(
    () =>
      createServices(
        user,
        tabs.map((x) => x.id),
        defaultTab(user),
      ),
    // one set of services per signed-in user
    [user.id],
  );

  useEffect(() => {
    services.events.start();
    services.reloadCameras().catch(() => undefined);
    services.reloadUnits().catch(() => undefined);
    // The stored user may be stale (role changed since login): refresh it; a 401 here ends the session.
    services.api.me().then(updateSessionUser, () => undefined);
    const online = () => services.events.reconnectNow();
    window.addEventListener('online', online);
    // Wall windows opened by the Electron shell have no session of their own: hand them this one.
    const stopServing = serveSession(() => sessionStore.get());
    return () => {
      stopServing();
      window.removeEventListener('online', online);
      services.close();
    };
  }, [services]);

  const signOut = async () => {
    // Stop the event stream first: the server closing it on logout must not look like an expired session.
    services.events.close();
    try {
      await services.api.logout();
    } catch {
      // the session is forgotten locally either way
    }
    endSession('signedOut');
  };

  const value = useMemo(() => ({ ...services, user }), [services, user]);

  return (
    <ServicesContext.Provider value={value}>
      {wallId !== null ? (
        <>
          <WallWindow displayId={wallId} />
          <ToastArea toasts={services.toasts} />
        </>
      ) : (
        <div class="console">
          <TopBar onSignOut={signOut} />
          <DeviceTree />
          <Workspace tabs={tabs} />
          <ToastArea toasts={services.toasts} />
        </div>
      )}
    </ServicesContext.Provider>
  );
}
