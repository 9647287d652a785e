// Puts the cameras an alarm rule names on a video wall: the given tile, else the next free one (the Live tab and wall windows call the hook).
import { useEffect } from 'preact/hooks';
import type { Alarm } from '../../common/alarms';
import { tileCount } from '../live/geometry';
import type { WallController } from '../live/wall-controller';
import type { WallState } from '../live/wall-state';
import { useServices } from '../services';
import { consoleAlarms } from './use-alarms';
import type { WallRequest } from './alarm-center';

/** The tile a request goes to: its own tile if the layout shows it, else the first empty tile, else the last tile. Null: already shown. */
export function placementTile(s: WallState, req: Pick<WallRequest, 'cameraId' | 'tile'>): number | null {
  const count = tileCount(s.layout);
  const visible = s.tiles.slice(0, count);
  if (req.tile !== null && req.tile < count) return visible[req.tile] === req.cameraId ? null : req.tile;
  if (visible.includes(req.cameraId)) return null;
  const free = visible.indexOf(null);
  return free >= 0 ? free : count - 1;
}

/** Whether the alarm still waits for an operator: in the console's working set and not acknowledged (closed ones leave the set). */
export function isNew(alarms: ReadonlyMap<number, Alarm>, alarmId: number): boolean {
  return alarms.get(alarmId)?.state === 'new';
}

/** Executes the wall requests for `windowId` (0 = the Live tab of the main console) on this wall, now and as they come. */
export function useAlarmWallPlacement(controller: WallController, windowId: number): void {
  const services = useServices();
  useEffect(() => {
    const center = consoleAlarms(services);
    const run = (queue: readonly WallRequest[]) => {
      const mine = queue.filter((r) => r.window === windowId);
      if (mine.length === 0) return;
      for (const r of mine) {
        const tile = placementTile(controller.state.get(), r);
        if (tile !== null) controller.dispatch({ type: 'assign', index: tile, sourceId: r.cameraId });
        const shown = controller.state.get().tiles.slice(0, tileCount(controller.state.get().layout)).indexOf(r.cameraId);
        if (shown >= 0 && isNew(center.alarms.get(), r.alarmId)) controller.markAlarm(tile ?? shown, r.alarmId);
      }
      center.consumeWall(mine.map((r) => r.key));
    };
    // The alarm frame stays until the alarm is acknowledged (or closed).
    const unframe = (alarms: ReadonlyMap<number, Alarm>) => controller.unmarkAlarms((id) => isNew(alarms, id));
    run(center.wallQueue.get());
    const unsubQueue = center.wallQueue.subscribe(run);
    const unsubAlarms = center.alarms.subscribe(unframe);
    return () => {
      unsubQueue();
      unsubAlarms();
    };
  }, [controller, windowId]);
}
