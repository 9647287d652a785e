// GB/T 28181 device simulator: decodes the 8-byte PTZCmd (annex A.3: A5 0F 01 …, two checksums) and moves a simulated head.

export type PtzCommand =
  | { kind: 'move'; pan: -1 | 0 | 1; tilt: -1 | 0 | 1; zoom: -1 | 0 | 1; panSpeed: number; tiltSpeed: number; zoomSpeed: number }
  | { kind: 'stop' }
  | { kind: 'preset-set' | 'preset-goto' | 'preset-delete'; preset: number }
  | { kind: 'fi'; byte4: number }
  | { kind: 'other'; byte4: number; data1: number; data2: number };

/** Parses the 16 hex digits; throws when the header, the version nibble check or the byte sum is wrong. */
export function decodePtzCmd(hex: string): PtzCommand {
  const clean = hex.trim();
  if (!/^[0-9a-fA-F]{16}$/.test(clean)) throw new Error(`PTZCmd is not 8 bytes of hex: ${hex}`);
  const b = Buffer.from(clean, 'hex');
  if (b[0] !== 0xa5) throw new Error('PTZCmd does not start with A5');
  const check = ((b[0] >> 4) + (b[0] & 0x0f) + (b[1] >> 4)) % 16;
  if ((b[1] & 0x0f) !== check) throw new Error('PTZCmd byte 2 check nibble is wrong');
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += b[i];
  if (sum % 256 !== b[7]) throw new Error('PTZCmd checksum is wrong');
  const op = b[3];
  const data1 = b[4];
  const data2 = b[5];
  const data3 = b[6] >> 4;
  if ((op & 0xc0) === 0) {
    // 0 0 ZoomOut ZoomIn Up Down Left Right
    if ((op & 0x3f) === 0) return { kind: 'stop' };
    const pan = op & 0x01 ? 1 : op & 0x02 ? -1 : 0;
    const tilt = op & 0x08 ? 1 : op & 0x04 ? -1 : 0;
    const zoom = op & 0x10 ? 1 : op & 0x20 ? -1 : 0;
    return { kind: 'move', pan, tilt, zoom, panSpeed: data1, tiltSpeed: data2, zoomSpeed: data3 };
  }
  if ((op & 0xf0) === 0x40) return { kind: 'fi', byte4: op };
  if (op === 0x81) return { kind: 'preset-set', preset: data2 };
  if (op === 0x82) return { kind: 'preset-goto', preset: data2 };
  if (op === 0x83) return { kind: 'preset-delete', preset: data2 };
  return { kind: 'other', byte4: op, data1, data2 };
}

/** Builds a PTZCmd (for tests and for the control channel's convenience). */
export function encodePtzCmd(op: number, data1: number, data2: number, data3 = 0, address = 1): string {
  const b = Buffer.alloc(8);
  b[0] = 0xa5;
  b[1] = 0x00 | ((0xa + 0x5 + 0x0) % 16);
  b[2] = address & 0xff;
  b[3] = op & 0xff;
  b[4] = data1 & 0xff;
  b[5] = data2 & 0xff;
  b[6] = ((data3 & 0x0f) << 4) | ((address >> 8) & 0x0f);
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += b[i];
  b[7] = sum % 256;
  return b.toString('hex').toUpperCase();
}

export interface PtzPosition {
  /** Degrees 0..360 (wraps). */
  pan: number;
  /** Degrees -30..90 (GB/T 28181-2022 PTZPosition's range). */
  tilt: number;
  /** Optical zoom factor 1..30. */
  zoom: number;
}

/** Full speed (255) turns the head 60°/s and zooms 5x/s; position integrates while a move is active. */
const DEG_PER_S_AT_FULL = 60;
const ZOOM_PER_S_AT_FULL = 5;

export class PtzHead {
  private pos: PtzPosition = { pan: 0, tilt: 0, zoom: 1 };
  private motion: { pan: number; tilt: number; zoom: number; sinceMs: number } | null = null;
  readonly presets = new Map<number, { position: PtzPosition; name: string }>();
  lastCommand: PtzCommand | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  position(): PtzPosition {
    if (!this.motion) return { ...this.pos };
    const s = (this.now() - this.motion.sinceMs) / 1000;
    const pan = (((this.pos.pan + this.motion.pan * s) % 360) + 360) % 360;
    const tilt = Math.max(-30, Math.min(90, this.pos.tilt + this.motion.tilt * s));
    const zoom = Math.max(1, Math.min(30, this.pos.zoom + this.motion.zoom * s));
    return { pan: round(pan), tilt: round(tilt), zoom: round(zoom) };
  }

  apply(cmd: PtzCommand): void {
    this.lastCommand = cmd;
    switch (cmd.kind) {
      case 'move':
        this.pos = this.position();
        this.motion = {
          pan: (cmd.pan * cmd.panSpeed * DEG_PER_S_AT_FULL) / 255,
          tilt: (cmd.tilt * cmd.tiltSpeed * DEG_PER_S_AT_FULL) / 255,
          zoom: (cmd.zoom * Math.max(1, cmd.zoomSpeed) * ZOOM_PER_S_AT_FULL) / 15,
          sinceMs: this.now(),
        };
        return;
      case 'stop':
        this.pos = this.position();
        this.motion = null;
        return;
      case 'preset-set':
        this.presets.set(cmd.preset, { position: this.position(), name: `预置点${cmd.preset}` });
        return;
      case 'preset-goto': {
        const p = this.presets.get(cmd.preset);
        if (p) {
          this.motion = null;
          this.pos = { ...p.position };
        }
        return;
      }
      case 'preset-delete':
        this.presets.delete(cmd.preset);
        return;
      case 'fi':
      case 'other':
        return;
      default: {
        const never: never = cmd;
        throw new Error(`unhandled PTZ command ${JSON.stringify(never)}`);
      }
    }
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
