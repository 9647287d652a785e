// Wall window URLs and the shell bridge lookup.
import { describe, expect, it } from 'vitest';
import { argusShell, wallDisplayId, wallLayoutName } from './argus-shell';

describe('wall window', () => {
  it('reads the display id from #wall=<id>', () => {
    expect(wallDisplayId('#wall=2528732444')).toBe(2528732444);
    expect(wallDisplayId('wall=1')).toBe(1);
    expect(wallDisplayId('')).toBeNull();
    expect(wallDisplayId('#wall=')).toBeNull();
    expect(wallDisplayId('#wall=1x')).toBeNull();
    expect(wallDisplayId('#wall=99999999999999999999')).toBeNull();
    expect(wallLayoutName(7)).toBe('wall-7');
  });

  it('finds no shell outside Electron', () => {
    expect(argusShell()).toBeNull();
  });
});
