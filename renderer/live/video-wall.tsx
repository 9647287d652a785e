// The video wall: tiles placed on the layout's grid (16:9 overall), one controller per wall, hooks shared by tab and wall window.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { can } from '../../common/rights';
import { useServices } from '../services';
import { allSources, findSource, groupSourceIds } from '../state/sources';
import { useStore } from '../state/store';
import { fillWallFrom } from '../devices/wall-fill';
import { wallGeometry } from './geometry';
import { VideoTile } from './video-tile';
import { wallStateApi } from './wall-api';
import { WallController } from './wall-controller';
import { streamFor } from './wall-state';

/** Whether the page is on screen (players stop while the window is hidden or minimised, to free connections). */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

/** A wall controller for the lifetime of the component: its remembered wall restored, deleted sources taken off the wall. */
export function useWallController(opts: { windowId: number; lastNameKey: string | null; fallbackName?: string }): WallController {
  const services = useServices();
  const controller = useMemo(
    () =>
      new WallController({
        api: {
          ...wallStateApi(services.api),
          listLayouts: () => services.api.listLayouts(),
          saveLayout: (b) => services.api.saveLayout(b),
          deleteLayout: (id) => services.api.deleteLayout(id),
        },
        groupSources: (group) => groupSourceIds(allSources(services.cameras.get(), services.units.get()), group),
        kindOf: (id) => (services.cameras.get().has(id) ? 'camera' : services.units.get().has(id) ? 'unit' : null),
        windowId: opts.windowId,
        canCarousel: can(services.user, 'wall.carousel'),
        lastNameKey: opts.lastNameKey,
        fallbackName: opts.fallbackName,
      }),
    [],
  );
  useEffect(() => {
    void controller.init();
    const unsub = services.events.subscribe((ev) => {
      if (ev.type === 'camera.deleted') controller.dispatch({ type: 'sourceRemoved', sourceId: ev.cameraId });
      else if (ev.type === 'unit.deleted') controller.dispatch({ type: 'sourceRemoved', sourceId: ev.unitId });
    });
    const flush = () => controller.flush();
    window.addEventListener('pagehide', flush);
    return () => {
      unsub();
      window.removeEventListener('pagehide', flush);
      controller.flush();
      controller.close();
    };
  }, [controller]);
  return controller;
}

/** Toggles fullscreen of an element (F11 on the wall). */
export function toggleFullscreen(el: HTMLElement | null): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  else void el?.requestFullscreen?.().catch(() => undefined);
}

export function VideoWall({ controller, active }: { controller: WallController; active: boolean }) {
  const services = useServices();
  const { cameras, units } = services;
  const state = useStore(controller.state);
  const alarmTiles = useStore(controller.alarmTiles);
  const cams = useStore(cameras);
  const us = useStore(units);
  const g = wallGeometry(state.layout);
  const dispatch = controller.dispatch.bind(controller);

  return (
    <div
      class={`wall${state.maximized !== null ? ' has-maximized' : ''}`}
      data-layout={state.layout}
      data-testid="video-wall"
      style={{ gridTemplateColumns: `repeat(${g.cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${g.rows}, minmax(0, 1fr))` }}
    >
      {g.cells.map((cell, i) => {
        const id = state.tiles[i] ?? null;
        return (
          <VideoTile
            key={i}
            index={i}
            cell={cell}
            sourceId={id}
            source={id !== null ? findSource(cams, us, id) : null}
            stream={streamFor(state.layout, i, state.maximized)}
            active={active}
            selected={state.selected === i}
            maximized={state.maximized === i}
            covered={state.maximized !== null && state.maximized !== i}
            alarmId={id !== null ? (alarmTiles.get(i) ?? null) : null}
            dispatch={dispatch}
            onOrgDrop={(drop, index) => void fillWallFrom({ controller, api: services.devices, org: services.org, toasts: services.toasts }, drop, index)}
          />
        );
      })}
    </div>
  );
}
