// Line icons of the Playback transport (play, pause, frame step, event jump, zoom): SVG, so they draw the same without any icon font.
import { Svg, type IconProps } from '../components/icons';

export function PlayIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M4.5 2.5 L13 8 L4.5 13.5 Z" fill="currentColor" />
    </Svg>
  );
}

export function PauseIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <rect x="3.5" y="2.5" width="3" height="11" fill="currentColor" stroke="none" />
      <rect x="9.5" y="2.5" width="3" height="11" fill="currentColor" stroke="none" />
    </Svg>
  );
}

/** One frame back: a bar, then a triangle pointing left. */
export function FrameBackIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M3 3 V13" stroke-width="1.8" />
      <path d="M13 3 L5.5 8 L13 13 Z" fill="currentColor" />
    </Svg>
  );
}

/** One frame forward: a triangle pointing right, then a bar. */
export function FrameForwardIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M3 3 L10.5 8 L3 13 Z" fill="currentColor" />
      <path d="M13 3 V13" stroke-width="1.8" />
    </Svg>
  );
}

/** Previous event: a chevron left and a flag. */
export function PrevEventIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M5 4 L1.8 8 L5 12" />
      <path d="M8 14 V2.5 L14 4.8 L8 7.2" />
    </Svg>
  );
}

/** Next event: a flag and a chevron right. */
export function NextEventIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <path d="M2.5 14 V2.5 L8.5 4.8 L2.5 7.2" />
      <path d="M11 4 L14.2 8 L11 12" />
    </Svg>
  );
}

export function ZoomInIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.3 10.3 L14 14 M5 7 H9 M7 5 V9" />
    </Svg>
  );
}

export function ZoomOutIcon(p: IconProps) {
  return (
    <Svg {...p}>
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.3 10.3 L14 14 M5 7 H9" />
    </Svg>
  );
}
