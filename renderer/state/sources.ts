// Video sources as the device tree and the wall see them: cameras and mobile units in one id space, grouped and searchable.
import type { Camera, Unit } from '../../common/api';
import type { CameraMap } from './cameras';
import type { UnitMap } from './units';

export type Source =
  | { kind: 'camera'; id: number; name: string; groupName: string | null; camera: Camera }
  | { kind: 'unit'; id: number; name: string; groupName: string | null; unit: Unit };

/** Whether a source delivers video now: true (yes), false (no: offline, failed, disabled), null (not known yet). */
export type Liveness = boolean | null;

export function cameraSource(camera: Camera): Source {
  return { kind: 'camera', id: camera.id, name: camera.name, groupName: cleanGroup(camera.groupName), camera };
}

export function unitSource(unit: Unit): Source {
  return { kind: 'unit', id: unit.id, name: unit.callsign, groupName: cleanGroup(unit.groupName), unit };
}

function cleanGroup(g: string | null): string | null {
  return g && g.trim() ? g.trim() : null;
}

/** The source with this id (cameras and units share the id space), or null. */
export function findSource(cameras: CameraMap, units: UnitMap, id: number): Source | null {
  const c = cameras.get(id);
  if (c) return cameraSource(c);
  const u = units.get(id);
  return u ? unitSource(u) : null;
}

/**
 * Liveness from the server's status: a unit is live while it publishes video (a unit sending only GPS is online but
 * has no picture); a camera while its recorder receives
 * (recording), not while reconnecting, failed or stopped; while connecting it is not known yet.
 */
export function sourceLiveness(s: Source): Liveness {
  if (s.kind === 'unit') return s.unit.enabled && s.unit.status.video.online;
  switch (s.camera.status.state) {
    case 'recording':
      return true;
    case 'connecting':
      return null;
    case 'reconnecting':
    case 'failed':
    case 'stopped':
      return false;
  }
}

/** Whether the source's recorder is writing right now (the tile's recording dot). */
export function sourceRecording(s: Source): boolean {
  return s.kind === 'camera' ? s.camera.status.state === 'recording' : s.unit.status.recording === 'recording';
}

export function allSources(cameras: CameraMap, units: UnitMap): Source[] {
  return [...[...cameras.values()].map(cameraSource), ...[...units.values()].map(unitSource)];
}

export interface SourceGroup {
  /** null = sources without a group. */
  name: string | null;
  sources: Source[];
}

const collator = () => new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Cameras before units, then by name. */
export function compareSources(a: Source, b: Source, c = collator()): number {
  if (a.kind !== b.kind) return a.kind === 'camera' ? -1 : 1;
  return c.compare(a.name, b.name) || a.id - b.id;
}

/** Groups sources by group name (ungrouped last); inside a group cameras first, then units, each by name. */
export function groupSources(list: readonly Source[]): SourceGroup[] {
  const c = collator();
  const byName = new Map<string | null, Source[]>();
  for (const s of list) {
    const arr = byName.get(s.groupName) ?? [];
    arr.push(s);
    byName.set(s.groupName, arr);
  }
  const groups = [...byName.entries()].map(([name, sources]) => ({ name, sources: sources.sort((a, b) => compareSources(a, b, c)) }));
  return groups.sort((a, b) => (a.name === null ? 1 : b.name === null ? -1 : c.compare(a.name, b.name)));
}

/** Names of the groups, sorted (for the tour's group choice). */
export function groupNames(list: readonly Source[]): string[] {
  return groupSources(list)
    .map((g) => g.name)
    .filter((n): n is string => n !== null);
}

/** Source ids of one group in tree order (the tour's cycle). */
export function groupSourceIds(list: readonly Source[], group: string): number[] {
  return (groupSources(list).find((g) => g.name === group)?.sources ?? []).map((s) => s.id);
}

/** Whether a source matches a search text: all words in name/callsign, group, officer, description or URL. */
export function sourceMatches(s: Source, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = (
    s.kind === 'camera'
      ? [s.camera.name, s.camera.groupName ?? '', s.camera.description ?? '', s.camera.url]
      : [s.unit.callsign, s.unit.groupName ?? '', s.unit.officer ?? '', s.unit.type]
  )
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The tree of sources matching every query (the device tree's rail filter and the top search; the rule editor's picker). */
export function matchingGroups(list: readonly Source[], ...queries: string[]): SourceGroup[] {
  return groupSources(list.filter((s) => queries.every((q) => sourceMatches(s, q))));
}

/**
 * At most `maxRows` sources of a tree, in tree order, groups kept whole until the budget runs out (a picker over
 * hundreds of cameras renders what fits on screen; the rest is reached by searching). `hidden` counts what was left out.
 */
export function limitGroups(groups: readonly SourceGroup[], maxRows: number): { groups: SourceGroup[]; hidden: number } {
  let left = maxRows;
  let hidden = 0;
  const out: SourceGroup[] = [];
  for (const g of groups) {
    const shown = g.sources.slice(0, Math.max(0, left));
    hidden += g.sources.length - shown.length;
    left -= shown.length;
    if (shown.length) out.push({ name: g.name, sources: shown });
  }
  return { groups: out, hidden };
}
