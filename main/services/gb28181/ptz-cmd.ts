// The 8-byte GB/T 28181 PTZCmd (annex A.3): A5 0F addr, command, data 1–2, zoom speed | address high nibble, checksum; built and decoded as hex text.

/** Command byte bits of a PTZ move (A.3.2): right, left, down, up, zoom in (tele), zoom out (wide). */
export const PTZ_BITS = { right: 0x01, left: 0x02, down: 0x04, up: 0x08, zoomIn: 0x10, zoomOut: 0x20 } as const;

/** Preset commands (A.3.4): byte 6 is the preset index 1–255. */
export const PRESET_CMD = { set: 0x81, goto: 0x82, remove: 0x83 } as const;

export const MAX_PRESET_INDEX = 255;

/** A PTZ command as its parts; every field is a byte (zoomSpeed 0–15, address 0–4095). */
export interface PtzCmdParts {
  command: number;
  /** Byte 5: pan speed for moves; 0 for presets. */
  data1: number;
  /** Byte 6: tilt speed for moves; the preset index for presets. */
  data2: number;
  /** High nibble of byte 7: zoom speed 0–15. */
  zoomSpeed: number;
  /** Device address: byte 3 is its low 8 bits, the low nibble of byte 7 its high 4 bits (1 by default, as every platform sends). */
  address?: number;
}

function byte(n: number, what: string, max = 0xff): number {
  if (!Number.isInteger(n) || n < 0 || n > max) throw new RangeError(`${what} must be an integer 0..${max}, got ${n}`);
  return n;
}

/** The 8 bytes of a command (byte 2 = version 0 in its high nibble and the check (0xA + 0x5 + 0) mod 16 = 0xF in its low). */
export function ptzCmdBytes(p: PtzCmdParts): Buffer {
  const address = byte(p.address ?? 1, 'address', 0xfff);
  const b = Buffer.alloc(8);
  b[0] = 0xa5;
  b[1] = 0x0f;
  b[2] = address & 0xff;
  b[3] = byte(p.command, 'command');
  b[4] = byte(p.data1, 'data1');
  b[5] = byte(p.data2, 'data2');
  b[6] = (byte(p.zoomSpeed, 'zoomSpeed', 0x0f) << 4) | (address >> 8);
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += b[i]!;
  b[7] = sum % 256;
  return b;
}

/** The command as the upper-case hex text carried in <PTZCmd>. */
export function ptzCmdHex(p: PtzCmdParts): string {
  return ptzCmdBytes(p).toString('hex').toUpperCase();
}

/** Velocity in -1..1 (ONVIF-style, as the PTZ pad sends it) → a byte speed 1..max, 0 for no motion on that axis. */
function speedOf(v: number, max: number): number {
  const a = Math.min(1, Math.abs(v));
  return a === 0 ? 0 : Math.max(1, Math.round(a * max));
}

/**
 * A continuous move: pan > 0 right, tilt > 0 up, zoom > 0 in (tele); speeds scale |v| to 1–255 (pan, tilt) and
 * 1–15 (zoom). All zero is the stop command.
 */
export function ptzMoveHex(v: { pan: number; tilt: number; zoom?: number }, address = 1): string {
  const zoom = v.zoom ?? 0;
  let command = 0;
  if (v.pan > 0) command |= PTZ_BITS.right;
  else if (v.pan < 0) command |= PTZ_BITS.left;
  if (v.tilt > 0) command |= PTZ_BITS.up;
  else if (v.tilt < 0) command |= PTZ_BITS.down;
  if (zoom > 0) command |= PTZ_BITS.zoomIn;
  else if (zoom < 0) command |= PTZ_BITS.zoomOut;
  return ptzCmdHex({ command, data1: speedOf(v.pan, 0xff), data2: speedOf(v.tilt, 0xff), zoomSpeed: speedOf(zoom, 0x0f), address });
}

/** The stop command (A50F0100000000B5 for address 1). */
export function ptzStopHex(address = 1): string {
  return ptzCmdHex({ command: 0, data1: 0, data2: 0, zoomSpeed: 0, address });
}

/** Set, go to or delete preset `index` (1–255). */
export function presetHex(op: keyof typeof PRESET_CMD, index: number, address = 1): string {
  if (!Number.isInteger(index) || index < 1 || index > MAX_PRESET_INDEX) throw new RangeError(`preset index must be 1..${MAX_PRESET_INDEX}, got ${index}`);
  return ptzCmdHex({ command: PRESET_CMD[op], data1: 0, data2: index, zoomSpeed: 0, address });
}

/** What a PTZCmd says, for a device (the simulator) or a log line. */
export type DecodedPtzCmd =
  | { kind: 'stop' }
  | { kind: 'move'; pan: -1 | 0 | 1; tilt: -1 | 0 | 1; zoom: -1 | 0 | 1; panSpeed: number; tiltSpeed: number; zoomSpeed: number }
  | { kind: 'preset'; op: keyof typeof PRESET_CMD; index: number }
  | { kind: 'other'; command: number; data1: number; data2: number; data3: number };

/**
 * Parses a <PTZCmd> text (16 hex digits, any case, surrounding white space allowed); null when it is not a valid
 * command (length, A5 lead byte, checksum).
 */
export function decodePtzCmd(text: string): (DecodedPtzCmd & { address: number }) | null {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) return null;
  const b = Buffer.from(hex, 'hex');
  if (b[0] !== 0xa5) return null;
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += b[i]!;
  if (sum % 256 !== b[7]) return null;
  const address = b[2]! | ((b[6]! & 0x0f) << 8);
  const command = b[3]!;
  const data1 = b[4]!;
  const data2 = b[5]!;
  const data3 = b[6]! >> 4;
  if (command === 0) return { kind: 'stop', address };
  if (command === PRESET_CMD.set) return { kind: 'preset', op: 'set', index: data2, address };
  if (command === PRESET_CMD.goto) return { kind: 'preset', op: 'goto', index: data2, address };
  if (command === PRESET_CMD.remove) return { kind: 'preset', op: 'remove', index: data2, address };
  if ((command & 0xc0) === 0) {
    const dir = (plus: number, minus: number): -1 | 0 | 1 => (command & plus ? 1 : command & minus ? -1 : 0);
    return {
      kind: 'move',
      pan: dir(PTZ_BITS.right, PTZ_BITS.left),
      tilt: dir(PTZ_BITS.up, PTZ_BITS.down),
      zoom: dir(PTZ_BITS.zoomIn, PTZ_BITS.zoomOut),
      panSpeed: data1,
      tiltSpeed: data2,
      zoomSpeed: data3,
      address,
    };
  }
  return { kind: 'other', command, data1, data2, data3, address };
}
