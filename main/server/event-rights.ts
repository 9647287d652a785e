// What of an event a console's user may see (issue 13): events about channels, devices, units, positions and alarms go only to those who hold a right on them.
import type { ServerEvent } from '../../common/events';
import { assertNever } from '../../common/events';
import type { UserAccess } from '../services/access/contract';
import { cameraFor, deviceFor, holdsOnSource, onChannel, onDevice, seesChannel, seesDevice, unitFor } from './access-guard';

/** A unit shows to whoever sees it (live, recordings, configure) or may see its position on the map. */
const seesUnit = (a: UserAccess, unitId: number): boolean => seesDevice(a, unitId) || onDevice(a, 'map.positions', unitId);

/**
 * The event as this user may receive it: the same object when all of it is theirs to see (the caller then sends the
 * text shared by all), a reduced copy (positions of the units they may see; a camera without its stream address), or
 * null. Deletions carry only an id and go to everyone (the console drops what it does not know).
 */
export function eventFor(a: UserAccess, ev: ServerEvent): ServerEvent | null {
  switch (ev.type) {
    case 'hello':
    case 'rights.changed':
    case 'camera.deleted':
    case 'unit.deleted':
    case 'device.deleted':
    case 'channel.deleted':
    case 'org.changed':
    case 'org.counts':
    case 'gps.geofence.changed':
    case 'gps.tiles.changed':
      return ev;
    // Investigation events: their own audience rules (event-audience.ts).
    case 'investigation.bookmark':
    case 'investigation.snapshot':
    case 'investigation.export':
    case 'investigation.case':
    case 'investigation.download':
      return ev;
    case 'camera.status':
      return seesChannel(a, ev.status.cameraId) ? ev : null;
    case 'camera.changed':
      // Always a copy: it carries the rights this user holds on the camera (myRights).
      return seesChannel(a, ev.camera.id) ? { ...ev, camera: cameraFor(a, ev.camera) } : null;
    case 'segment.closed':
      return onChannel(a, 'recordings.view', ev.segment.cameraId) ? ev : null;
    case 'retention.deleted':
      return onChannel(a, 'recordings.view', ev.cameraId) ? ev : null;
    case 'unit.status':
      return seesUnit(a, ev.status.unitId) ? ev : null;
    case 'unit.changed':
      return seesUnit(a, ev.unit.id) ? { ...ev, unit: unitFor(a, ev.unit) } : null;
    case 'device.event':
      return holdsOnSource(a, 'alarms.view', ev.event.cameraId) || (ev.event.cameraId !== null && seesChannel(a, ev.event.cameraId)) ? ev : null;
    case 'device.changed': {
      if (!seesDevice(a, ev.device.id)) return null;
      const device = deviceFor(a, ev.device);
      return device.channels.length === ev.device.channels.length ? ev : { ...ev, device };
    }
    case 'device.status':
      return seesDevice(a, ev.status.deviceId) ? ev : null;
    case 'channel.changed':
      return seesChannel(a, ev.channel.id) ? ev : null;
    case 'channel.status':
      return seesChannel(a, ev.status.channelId) ? ev : null;
    case 'gps.positions': {
      if (a.devices('map.positions').all) return ev;
      const positions = ev.positions.filter((p) => onDevice(a, 'map.positions', p.unitId));
      const links = ev.links.filter((l) => onDevice(a, 'map.positions', l.unitId));
      if (positions.length === 0 && links.length === 0) return null;
      return positions.length === ev.positions.length && links.length === ev.links.length ? ev : { ...ev, positions, links };
    }
    case 'gps.camera.placed':
      return seesChannel(a, ev.cameraId) ? ev : null;
    case 'ptz.control':
    case 'ptz.tour':
    case 'ptz.presets':
      return seesChannel(a, ev.cameraId) ? ev : null;
    case 'onvif.health':
      return ev.cameraIds.some((id) => seesChannel(a, id)) ? ev : null;
    case 'alarm.event':
      return holdsOnSource(a, 'alarms.view', ev.alarm.sourceId) ? ev : null;
    default:
      return assertNever(ev);
  }
}
