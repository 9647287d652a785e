// Which consoles get investigation events: playback roles see bookmarks and snapshots, case roles see cases and exports, a download's progress only its user.
import { describe, expect, it } from 'vitest';
import type { Bookmark, ExportJob, Snapshot } from '../../common/investigation';
import type { UserRow } from '../../storage/repositories';
import { mayReceive } from './event-audience';
import type { Principal } from './router';

const who = (id: number, role: string): Principal => ({ user: { id, role } as unknown as UserRow, tokenHash: `t${id}` });

describe('event audience', () => {
  const bookmark = {
    type: 'investigation.bookmark',
    op: 'created',
    bookmark: { cameraId: 1, caseId: null } as Bookmark,
    caseNodeId: null,
    retired: [] as number[],
  } as const;
  const snapshot = { type: 'investigation.snapshot', snapshot: { cameraId: 1, caseId: null } as Snapshot, caseNodeId: null, retired: [] as number[] } as const;
  const exp = {
    type: 'investigation.export',
    export: { caseId: 1, request: { sources: [{ cameraId: 1 }] } } as ExportJob,
    caseNodeId: 1,
    retired: [] as number[],
  } as const;
  const kase = { type: 'investigation.case', caseId: 1, nodeId: 1 } as const;
  const dl = {
    type: 'investigation.download',
    download: { id: 'd1', userId: 7, exportId: 1, file: 'x.zip', sentBytes: 1, totalBytes: 2, state: 'running' },
  } as const;
  it.each([
    ['admin', [true, true, true, true]],
    ['investigator', [true, true, true, true]],
    ['dispatcher', [true, true, false, false]],
    ['officer', [false, false, false, false]],
  ])('%s', (role, expected) => {
    expect([bookmark, snapshot, exp, kase].map((ev) => mayReceive(who(1, role), ev, null))).toEqual(expected);
  });
  it('sends download progress only to the user who downloads, and other events to everyone', () => {
    expect(mayReceive(who(7, 'investigator'), dl, null)).toBe(true);
    expect(mayReceive(who(8, 'admin'), dl, null)).toBe(false);
    expect(mayReceive(who(8, 'officer'), { type: 'camera.deleted', cameraId: 1 }, null)).toBe(true);
  });
});
