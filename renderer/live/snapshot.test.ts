// Snapshot file names: file-safe source name plus local date and time.
import { describe, expect, it } from 'vitest';
import { snapshotFileName } from './snapshot';

describe('snapshotFileName', () => {
  it('makes the name file-safe and stamps the local time', () => {
    const ms = new Date(2025, 10, 26, 14, 3, 7).getTime();
    expect(snapshotFileName('Gate North', ms)).toBe('Gate_North-20251126-140307.png');
    expect(snapshotFileName('a/b:c*?', ms)).toBe('a_b_c-20251126-140307.png');
    expect(snapshotFileName('  ', ms)).toBe('snapshot-20251126-140307.png');
    expect(snapshotFileName('东门 1号', ms)).toBe('东门_1号-20251126-140307.png');
  });
});
