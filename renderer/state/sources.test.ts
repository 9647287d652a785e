// Cameras and units as one list of video sources: grouping, liveness, search, tour groups.
import { describe, expect, it } from 'vitest';
import { cameraMapOf } from './cameras';
import {
  allSources,
  findSource,
  groupNames,
  groupSourceIds,
  groupSources,
  limitGroups,
  matchingGroups,
  sourceLiveness,
  sourceMatches,
  sourceRecording,
} from './sources';
import { camera, unit, unitStatus } from './test-fixtures';

const cams = cameraMapOf([camera(1, 'Gate', 'Depot'), camera(2, 'Yard', 'Depot', 'reconnecting'), camera(3, 'Lobby', null, 'connecting')]);
const units = new Map([
  [10, unit(10, 'Car 12', 'vehicle', 'Depot', unitStatus(10, true, 5))],
  [11, unit(11, 'BWC 7', 'body', 'Patrol')],
]);

describe('sources', () => {
  it('finds cameras and units by id', () => {
    expect(findSource(cams, units, 1)?.kind).toBe('camera');
    expect(findSource(cams, units, 10)).toMatchObject({ kind: 'unit', name: 'Car 12' });
    expect(findSource(cams, units, 99)).toBeNull();
  });

  it('groups cameras first, then units, ungrouped last', () => {
    const groups = groupSources(allSources(cams, units));
    expect(groups.map((g) => g.name)).toEqual(['Depot', 'Patrol', null]);
    expect(groups[0].sources.map((s) => s.name)).toEqual(['Gate', 'Yard', 'Car 12']);
    expect(groupNames(allSources(cams, units))).toEqual(['Depot', 'Patrol']);
    expect(groupSourceIds(allSources(cams, units), 'Depot')).toEqual([1, 2, 10]);
    expect(groupSourceIds(allSources(cams, units), 'None')).toEqual([]);
  });

  it('derives liveness and recording from the status', () => {
    const s = (id: number) => findSource(cams, units, id)!;
    expect(sourceLiveness(s(1))).toBe(true);
    expect(sourceLiveness(s(2))).toBe(false);
    expect(sourceLiveness(s(3))).toBeNull();
    expect(sourceLiveness(s(10))).toBe(true);
    expect(sourceLiveness(s(11))).toBe(false);
    expect(sourceRecording(s(1))).toBe(true);
    expect(sourceRecording(s(10))).toBe(true);
    expect(sourceRecording(s(11))).toBe(false);
  });

  it('searches names, callsigns, groups and officers', () => {
    const list = allSources(cams, units);
    expect(list.filter((s) => sourceMatches(s, 'car')).map((s) => s.id)).toEqual([10]);
    expect(list.filter((s) => sourceMatches(s, 'depot')).map((s) => s.id)).toEqual([1, 2, 10]);
  });

  it('filters the tree by every query and bounds the rows a picker renders', () => {
    const list = allSources(cams, units);
    expect(matchingGroups(list, 'depot', 'a').map((g) => [g.name, g.sources.map((x) => x.id)])).toEqual([['Depot', [1, 2, 10]]]);
    const many = allSources(cameraMapOf(Array.from({ length: 500 }, (_, i) => camera(i + 1, `Camera ${i}`, `District ${i % 10}`))), new Map());
    const all = matchingGroups(many, '');
    const { groups, hidden } = limitGroups(all, 150);
    expect(groups.reduce((n, g) => n + g.sources.length, 0)).toBe(150);
    expect(hidden).toBe(350);
    expect(groups.map((g) => g.name)).toEqual(['District 0', 'District 1', 'District 2']);
    const found = limitGroups(matchingGroups(many, 'camera 417'), 150);
    expect(found.hidden).toBe(0);
    expect(found.groups.flatMap((g) => g.sources.map((x) => x.name))).toContain('Camera 417');
  });
});
