// Workspace tab "Live" (实时预览): the wall toolbar and the video wall; Esc restores a maximized tile, F11 goes fullscreen.
import { useEffect, useRef } from 'preact/hooks';
import { LIVE_TAB_WINDOW } from '../../common/wall';
import { useAlarmWallPlacement } from '../alarms/wall-placement';
import { useServices, type WallRequest } from '../services';
import { useStore } from '../state/store';
import { toggleFullscreen, usePageVisible, useWallController, VideoWall } from './video-wall';
import type { WallController } from './wall-controller';
import { WallToolbar } from './wall-toolbar';

/** Esc leaves maximize, F11 toggles fullscreen of the wall, while `enabled`. */
export function useWallKeys(controller: WallController, stage: { current: HTMLElement | null }, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'F11') {
        e.preventDefault();
        toggleFullscreen(stage.current);
      } else if (e.key === 'Escape' && controller.state.get().maximized !== null) {
        e.preventDefault();
        controller.dispatch({ type: 'restore' });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [controller, enabled]);
}

export function LiveTab() {
  const services = useServices();
  const controller = useWallController({ windowId: LIVE_TAB_WINDOW, lastNameKey: `argus.wall.last.${services.user.id}` });
  const tab = useStore(services.activeTab);
  const visible = usePageVisible();
  const active = tab === 'live' && visible;
  const stage = useRef<HTMLDivElement>(null);

  // Double-click in the device tree, "watch live" on the map: show the source on this wall. A request made before this
  // tab was first mounted (the first one after a reload) is taken at mount; each is taken once (the store goes back to null).
  useEffect(() => {
    const take = (req: WallRequest | null) => {
      if (!req) return;
      services.wallRequest.set(null);
      if (req.placement === 'free') controller.placeSource(req.sourceId);
      else controller.openSource(req.sourceId);
      services.activeTab.set('live');
    };
    take(services.wallRequest.get());
    return services.wallRequest.subscribe(take);
  }, [controller]);
  useWallKeys(controller, stage, tab === 'live');
  useAlarmWallPlacement(controller, LIVE_TAB_WINDOW); // alarm rules put cameras on this wall (window 0)

  return (
    <div class="live-tab">
      <WallToolbar controller={controller} onFullscreen={() => toggleFullscreen(stage.current)} />
      <div class="wall-stage" ref={stage}>
        <VideoWall controller={controller} active={active} />
      </div>
    </div>
  );
}
