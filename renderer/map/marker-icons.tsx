// SVG markup of the device tree's icons (renderer/components/icons.tsx) for Leaflet divIcons: no emoji, no icon font.
import { render } from 'preact';
import type { UnitType } from '../../common/api';
import { CameraIcon, UnitTypeIcon } from '../components/icons';
import type { UnitMapStatus } from './unit-status';

const cache = new Map<string, string>();

function markup(key: string, node: preact.VNode): string {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const el = document.createElement('div');
  render(node, el);
  const html = el.innerHTML;
  render(null, el);
  cache.set(key, html);
  return html;
}

export const unitIconSvg = (type: UnitType, size = 16): string => markup(`unit:${type}:${size}`, <UnitTypeIcon type={type} size={size} />);
export const cameraIconSvg = (size = 14): string => markup(`camera:${size}`, <CameraIcon size={size} />);

/** The status shape beside the callsign (for colour-blind operators), drawn as SVG: ● online, ◐ stale, ○ offline, ▲ SOS. */
export function statusShapeSvg(status: UnitMapStatus): string {
  const open = '<svg class="unit-shape" viewBox="0 0 10 10" width="9" height="9" aria-hidden="true">';
  switch (status) {
    case 'online':
      return `${open}<circle cx="5" cy="5" r="4" fill="currentColor"/></svg>`;
    case 'stale':
      return `${open}<circle cx="5" cy="5" r="4" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M5 1 A4 4 0 0 1 5 9 Z" fill="currentColor"/></svg>`;
    case 'offline':
      return `${open}<circle cx="5" cy="5" r="4" fill="none" stroke="currentColor" stroke-width="1.4"/></svg>`;
    case 'sos':
      return `${open}<path d="M5 1 L9.5 9 H0.5 Z" fill="currentColor"/></svg>`;
    default: {
      const never: never = status;
      return never;
    }
  }
}
