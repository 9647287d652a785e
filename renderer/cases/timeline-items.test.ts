// The case timeline's order: by recorded time across kinds, stable on ties.
import { describe, expect, it } from 'vitest';
import type { Bookmark, ExportJob, Snapshot } from '../../common/investigation';
import { timelineItems } from './timeline-items';

const bm = (id: number, startMs: number) =>
  ({ id, startMs, endMs: startMs + 1000, cameraId: 1, note: '', caseId: 1, createdBy: 'a', createdMs: 0 }) as Bookmark;
const sn = (id: number, tMs: number) => ({ id, tMs, cameraId: 1 }) as Snapshot;
const ex = (id: number, startMs: number) => ({ id, request: { startMs, endMs: startMs + 1, caseId: 1, sources: [] } }) as unknown as ExportJob;

describe('timelineItems', () => {
  it('merges the three kinds in recorded-time order, ties by kind then id', () => {
    const items = timelineItems([bm(2, 300), bm(10, 100)], [sn(1, 200), sn(3, 100)], [ex(4, 50), ex(5, 100)]);
    expect(items.map((i) => i.key)).toEqual(['e4', 'b10', 'e5', 's3', 's1', 'b2']);
  });
});
