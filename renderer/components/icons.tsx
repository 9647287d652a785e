// Small line icons (16×16, currentColor) for device types, tile tools and wall layouts; decorative (aria-hidden).
import type { ComponentChildren } from 'preact';
import type { UnitType, WallLayoutKind } from '../../common/api';
import { assertNever } from '../../common/events';
import { wallGeometry } from '../live/geometry';

export type IconProps = { size?: number; class?: string };

export function Svg({ size = 16, class: cls, children }: IconProps & { children: ComponentChildren }) {
  return (
    <svg
      class={`icon${cls ? ` ${cls}` : ''}`}
      viewBox="0 0 16 16"
      width={size}
      height={size}
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="1.4"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      {children}
    </svg>
  );
}

export function CameraIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <rect x="1" y="4" width="10" height="8" rx="1.5" />
      <path d="M11 7 L15 5 V11 L11 9 Z" fill="currentColor" />
    </Svg>
  );
}

/** Patrol car unit (车载终端). */
export function VehicleIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M2 10 V8 L4 4.5 H12 L14 8 V10 Z" />
      <path d="M3.8 8 H12.2" />
      <circle cx="4.8" cy="11.3" r="1.3" fill="currentColor" />
      <circle cx="11.2" cy="11.3" r="1.3" fill="currentColor" />
      <path d="M7 2.3 H9" stroke-width="2" />
    </Svg>
  );
}

/** Body-worn camera (执法记录仪). */
export function BodyCamIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <rect x="4" y="1.5" width="8" height="13" rx="1.8" />
      <circle cx="8" cy="6" r="2" />
      <circle cx="8" cy="11.3" r="0.9" fill="currentColor" />
    </Svg>
  );
}

/** Handheld unit (手持终端 / 单兵). */
export function HandheldIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <rect x="4.5" y="3.5" width="7" height="11" rx="1.2" />
      <path d="M6.5 3.5 V1" />
      <rect x="6" y="5.2" width="4" height="3.3" rx="0.5" />
      <path d="M6.3 11 H9.7" />
    </Svg>
  );
}

/** Portable kit (便携式布控球): a dome on a base. */
export function PortableIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M3 9 A5 5 0 0 1 13 9 Z" />
      <circle cx="8" cy="7" r="1.3" fill="currentColor" />
      <path d="M5 12.5 H11 M8 9 V12.5" />
    </Svg>
  );
}

export function UnitTypeIcon({ type, ...p }: IconProps & { type: UnitType }) {
  switch (type) {
    case 'vehicle':
      return <VehicleIcon {...p} />;
    case 'body':
      return <BodyCamIcon {...p} />;
    case 'handheld':
      return <HandheldIcon {...p} />;
    case 'portable':
      return <PortableIcon {...p} />;
    default:
      return assertNever(type);
  }
}

export function SnapshotIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M1.5 5 H4.5 L5.8 3 H10.2 L11.5 5 H14.5 V13 H1.5 Z" />
      <circle cx="8" cy="8.8" r="2.4" />
    </Svg>
  );
}

export function SpeakerIcon({ muted, ...p }: IconProps & { muted: boolean }) {
  return (
    <Svg {...p}>
      <path d="M2 6 H4.5 L8 3 V13 L4.5 10 H2 Z" fill="currentColor" />
      {muted ? <path d="M10.5 6 L14 9.5 M14 6 L10.5 9.5" /> : <path d="M10.5 5.5 Q12.5 8 10.5 10.5 M12.3 3.8 Q15.6 8 12.3 12.2" />}
    </Svg>
  );
}

export function MaximizeIcon({ restore, ...p }: IconProps & { restore?: boolean }) {
  return (
    <Svg {...p}>
      {restore ? <path d="M6 2 V6 H2 M10 2 V6 H14 M6 14 V10 H2 M10 14 V10 H14" /> : <path d="M2 6 V2 H6 M10 2 H14 V6 M2 10 V14 H6 M14 10 V14 H10" />}
    </Svg>
  );
}

export function CloseIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M3.5 3.5 L12.5 12.5 M12.5 3.5 L3.5 12.5" stroke-width="1.7" />
    </Svg>
  );
}

/** Instant replay: an arrow turning back. */
export function ReplayIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M3 8 A5 5 0 1 0 4.6 4.3" />
      <path d="M2.5 2.5 V5.5 H5.5" />
      <path d="M8 5.5 V8.3 L10 9.5" />
    </Svg>
  );
}

/** PTZ: four arrows around a dot. */
export function PtzIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <circle cx="8" cy="8" r="1.5" fill="currentColor" />
      <path d="M8 1.5 L6.3 3.5 H9.7 Z M8 14.5 L6.3 12.5 H9.7 Z M1.5 8 L3.5 6.3 V9.7 Z M14.5 8 L12.5 6.3 V9.7 Z" fill="currentColor" />
    </Svg>
  );
}

export function FullscreenIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M1.5 5.5 V1.5 H5.5 M10.5 1.5 H14.5 V5.5 M1.5 10.5 V14.5 H5.5 M14.5 10.5 V14.5 H10.5" />
    </Svg>
  );
}

export function DisplayIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <rect x="1.5" y="2.5" width="13" height="8.5" rx="1" />
      <path d="M5.5 14 H10.5 M8 11 V14" />
    </Svg>
  );
}

export function TourIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M13.5 8 A5.5 5.5 0 0 1 3.4 11" />
      <path d="M2.5 8 A5.5 5.5 0 0 1 12.6 5" />
      <path d="M12.8 2.2 V5.2 H9.8 M3.2 13.8 V10.8 H6.2" />
    </Svg>
  );
}

/** Miniature of a wall layout: its grid with the tiles drawn. */
export function LayoutIcon({ kind, ...p }: IconProps & { kind: WallLayoutKind }) {
  const g = wallGeometry(kind);
  const pad = 1;
  const size = 14;
  const cw = size / g.cols;
  const ch = size / g.rows;
  return (
    <Svg {...p}>
      {g.cells.map((c, i) => (
        <rect
          key={i}
          x={pad + c.col * cw + 0.6}
          y={pad + c.row * ch + 0.6}
          width={c.colSpan * cw - 1.2}
          height={c.rowSpan * ch - 1.2}
          rx="0.6"
          stroke-width="1"
          fill={i === 0 && g.cells.length > 1 && c.colSpan > 1 ? 'currentColor' : 'none'}
          fill-opacity="0.35"
        />
      ))}
    </Svg>
  );
}

/** No video: a camera struck through (offline tile). */
export function VideoOffIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <rect x="1" y="4" width="10" height="8" rx="1.5" />
      <path d="M11 7 L15 5 V11 L11 9" />
      <path d="M1.5 1.5 L14.5 14.5" stroke-width="1.6" />
    </Svg>
  );
}

/** Refused: a padlock (no permission). */
export function LockIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <rect x="3" y="7" width="10" height="7.5" rx="1.2" />
      <path d="M5 7 V5 A3 3 0 0 1 11 5 V7" />
      <circle cx="8" cy="10.6" r="1" fill="currentColor" />
    </Svg>
  );
}
