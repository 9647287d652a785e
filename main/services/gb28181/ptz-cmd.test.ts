// PTZCmd bytes against the standard's examples and the commands public GB/T 28181 platforms send.
import { describe, expect, it } from 'vitest';
import { decodePtzCmd, presetHex, ptzCmdBytes, ptzCmdHex, ptzMoveHex, ptzStopHex } from './ptz-cmd';

describe('PTZCmd', () => {
  it('builds the stop command every platform sends', () => {
    expect(ptzStopHex()).toBe('A50F0100000000B5');
    expect(ptzMoveHex({ pan: 0, tilt: 0, zoom: 0 })).toBe('A50F0100000000B5');
  });

  it('matches the well-known move examples (direction bits, speeds in bytes 5–7, checksum)', () => {
    // up, tilt speed 0x1F; down; right, pan speed 0x1F; zoom in / out at zoom speed 1
    expect(ptzCmdHex({ command: 0x08, data1: 0, data2: 0x1f, zoomSpeed: 0 })).toBe('A50F0108001F00DC');
    expect(ptzCmdHex({ command: 0x04, data1: 0, data2: 0x1f, zoomSpeed: 0 })).toBe('A50F0104001F00D8');
    expect(ptzCmdHex({ command: 0x01, data1: 0x1f, data2: 0, zoomSpeed: 0 })).toBe('A50F01011F0000D5');
    expect(ptzCmdHex({ command: 0x10, data1: 0, data2: 0, zoomSpeed: 1 })).toBe('A50F0110000010D5');
    expect(ptzCmdHex({ command: 0x20, data1: 0, data2: 0, zoomSpeed: 1 })).toBe('A50F0120000010E5');
    // left + up at 8/8 (a decoder test of another implementation)
    expect(ptzCmdHex({ command: 0x0a, data1: 8, data2: 8, zoomSpeed: 0 })).toBe('A50F010A080800CF');
  });

  it('maps pad velocities to directions and speeds', () => {
    expect(ptzMoveHex({ pan: 0, tilt: 31 / 255 })).toBe('A50F0108001F00DC');
    expect(ptzMoveHex({ pan: 31 / 255, tilt: 0 })).toBe('A50F01011F0000D5');
    expect(ptzMoveHex({ pan: 0, tilt: 0, zoom: 1 / 15 })).toBe('A50F0110000010D5');
    const d = decodePtzCmd(ptzMoveHex({ pan: -1, tilt: -0.5, zoom: -1 }));
    expect(d).toEqual({ kind: 'move', pan: -1, tilt: -1, zoom: -1, panSpeed: 255, tiltSpeed: 128, zoomSpeed: 15, address: 1 });
    // a tiny velocity still moves (speed 1), never a stop in disguise
    expect(decodePtzCmd(ptzMoveHex({ pan: 0.001, tilt: 0 }))).toMatchObject({ kind: 'move', pan: 1, panSpeed: 1 });
  });

  it('builds preset set / goto / delete with the index in byte 6', () => {
    expect(presetHex('set', 1)).toBe('A50F018100010037');
    expect(presetHex('goto', 1)).toBe('A50F018200010038');
    expect(presetHex('remove', 255)).toBe('A50F018300FF0037');
    expect(presetHex('set', 255)).toBe('A50F018100FF0035');
    expect(() => presetHex('goto', 0)).toThrow(RangeError);
    expect(() => presetHex('goto', 256)).toThrow(RangeError);
  });

  it('checksum is the sum of bytes 1–7 mod 256; the address high nibble sits under the zoom speed', () => {
    const b = ptzCmdBytes({ command: 0x3f, data1: 0xff, data2: 0xff, zoomSpeed: 15, address: 0xabc });
    expect([...b.subarray(0, 7)]).toEqual([0xa5, 0x0f, 0xbc, 0x3f, 0xff, 0xff, 0xfa]);
    expect(b[7]).toBe([...b.subarray(0, 7)].reduce((a, x) => a + x, 0) % 256);
    expect(decodePtzCmd(b.toString('hex'))).toMatchObject({ kind: 'move', address: 0xabc });
  });

  it('decodes what devices receive, refusing a bad checksum or length', () => {
    expect(decodePtzCmd(' a50f0100000000b5\n')).toEqual({ kind: 'stop', address: 1 });
    expect(decodePtzCmd('A50F018200070038'.slice(0, 14) + '3E')).toEqual({ kind: 'preset', op: 'goto', index: 7, address: 1 });
    expect(decodePtzCmd('A50F0100000000B6')).toBeNull();
    expect(decodePtzCmd('A50F01000000B5')).toBeNull();
    expect(decodePtzCmd('B50F0100000000C5')).toBeNull();
    expect(decodePtzCmd('A50F0142080000FF')).toEqual({ kind: 'other', command: 0x42, data1: 8, data2: 0, data3: 0, address: 1 });
  });
});
