// The console's camera list: loaded over HTTP, kept current by server events (status, changes, deletions).
import type { Camera, CameraStatus } from '../../common/api';
import { assertNever, isCoreEvent, type ServerEvent } from '../../common/events';
import { Store } from './store';

export type CameraMap = ReadonlyMap<number, Camera>;

/** The newer of two statuses of one camera (by when the state was entered; the incoming one wins a tie). */
function newerStatus(current: CameraStatus, incoming: CameraStatus): CameraStatus {
  return incoming.sinceMs >= current.sinceMs ? incoming : current;
}

/** Inserts or replaces a camera, keeping a newer live status than the one the copy carries. */
export function upsertCamera(cams: CameraMap, camera: Camera): CameraMap {
  const next = new Map(cams);
  const old = cams.get(camera.id);
  next.set(camera.id, old ? { ...camera, status: newerStatus(old.status, camera.status) } : camera);
  return next;
}

/** Applies one server event to the camera list; returns the same map when nothing changed. */
export function applyCameraEvent(cams: CameraMap, ev: ServerEvent): CameraMap {
  if (!isCoreEvent(ev)) return cams;
  switch (ev.type) {
    case 'camera.status': {
      const cam = cams.get(ev.status.cameraId);
      if (!cam) return cams; // a camera.changed with its status follows for cameras this console has not seen yet
      const next = new Map(cams);
      next.set(cam.id, { ...cam, status: ev.status });
      return next;
    }
    case 'camera.changed':
      return upsertCamera(cams, ev.camera);
    case 'camera.deleted': {
      if (!cams.has(ev.cameraId)) return cams;
      const next = new Map(cams);
      next.delete(ev.cameraId);
      return next;
    }
    case 'hello':
    case 'rights.changed':
    case 'segment.closed':
    case 'retention.deleted':
    case 'unit.status':
    case 'unit.changed':
    case 'unit.deleted':
    case 'device.event':
      return cams;
    default:
      return assertNever(ev);
  }
}

export function cameraMapOf(list: readonly Camera[]): CameraMap {
  return new Map(list.map((c) => [c.id, c]));
}

/** Cameras sorted for display: by group (ungrouped last), then name. */
export function sortedCameras(cams: CameraMap): Camera[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return [...cams.values()].sort((a, b) => {
    const ga = a.groupName ?? '\uffff';
    const gb = b.groupName ?? '\uffff';
    return collator.compare(ga, gb) || collator.compare(a.name, b.name) || a.id - b.id;
  });
}

export interface CameraGroup {
  /** null = cameras without a group. */
  name: string | null;
  cameras: Camera[];
}

/** Groups cameras by groupName (ungrouped last), each sorted by name. */
export function groupCameras(cameras: readonly Camera[]): CameraGroup[] {
  const byName = new Map<string | null, Camera[]>();
  for (const c of cameras) {
    const key = c.groupName && c.groupName.trim() ? c.groupName.trim() : null;
    const list = byName.get(key) ?? [];
    list.push(c);
    byName.set(key, list);
  }
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const groups = [...byName.entries()].map(([name, list]) => ({
    name,
    cameras: list.sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id),
  }));
  return groups.sort((a, b) => (a.name === null ? 1 : b.name === null ? -1 : collator.compare(a.name, b.name)));
}

/** Whether a camera matches a search text (name, group, description, URL host; case-insensitive, all words). */
export function cameraMatches(c: Camera, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [c.name, c.groupName ?? '', c.description ?? '', c.url].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

export class CameraStore extends Store<CameraMap> {
  /** Whether the first load finished. */
  readonly loaded = new Store<boolean>(false);

  constructor() {
    super(new Map());
  }

  replaceAll(list: readonly Camera[]): void {
    // Statuses from events that raced the list request are kept when newer.
    let next: CameraMap = cameraMapOf(list);
    const current = this.get();
    for (const cam of list) {
      const old = current.get(cam.id);
      if (old) next = upsertCamera(next, { ...cam, status: newerStatus(old.status, cam.status) });
    }
    this.set(next);
    this.loaded.set(true);
  }

  upsert(camera: Camera): void {
    this.set(upsertCamera(this.get(), camera));
  }

  remove(id: number): void {
    this.set(applyCameraEvent(this.get(), { type: 'camera.deleted', cameraId: id }));
  }

  apply(ev: ServerEvent): void {
    const next = applyCameraEvent(this.get(), ev);
    if (next !== this.get()) this.set(next);
  }
}
