// GB/T 28181 ID coding (annex D): what a catalog item is from its ID (civil code, type code in digits 11–13) and its PTZ capability.

import type { GbItemKind } from '../../../storage/repos/gb-catalog';

/**
 * What a catalog item stands for in Argus's model: 'video' (131 camera, 132 IPC, 138 mobile transmission device) a
 * channel of the device; 'alarm_input' (134) kept with the device so alarms can name it; 'civil' (2/4/6/8-digit civil
 * code 行政区划), 'business_group' (215 业务分组), 'virtual_org' (216 虚拟组织) organisation nodes; 'device' (111–130
 * front-end devices, 200–299 platform servers listed by a platform) and 'other' (alarm outputs, audio, displays, IDs
 * outside the coding) kept, not mapped.
 */
export type { GbItemKind };

export const GB_ITEM_KINDS: readonly GbItemKind[] = ['video', 'alarm_input', 'civil', 'business_group', 'virtual_org', 'device', 'other'];

/** Kinds that become organisation nodes. */
export const ORG_KINDS: ReadonlySet<GbItemKind> = new Set(['civil', 'business_group', 'virtual_org']);

const VIDEO_TYPES = new Set([131, 132, 138]);

/** The 3-digit type code (digits 11–13) of a 20-digit ID; null for anything else. */
export function typeCodeOf(id: string): number | null {
  return /^\d{20}$/.test(id) ? Number(id.slice(10, 13)) : null;
}

/** True for a GB/T 2260 civil code as catalogs list them (2, 4, 6 or 8 digits). */
export function isCivilCode(id: string): boolean {
  return /^(\d{2}|\d{4}|\d{6}|\d{8})$/.test(id);
}

/** Classifies a catalog item by its ID. */
export function kindOfId(id: string): GbItemKind {
  if (isCivilCode(id)) return 'civil';
  const type = typeCodeOf(id);
  if (type === null) return 'other';
  if (type === 215) return 'business_group';
  if (type === 216) return 'virtual_org';
  if (type === 134) return 'alarm_input';
  if (VIDEO_TYPES.has(type)) return 'video';
  if ((type >= 111 && type <= 130) || (type >= 200 && type <= 299)) return 'device';
  return 'other';
}

/**
 * PTZ capability from the catalog's PTZType (Info.PTZType; 1 dome 球机, 2 semi-dome 半球, 3 fixed 固定枪机, 4 remote-controlled
 * gun 遥控枪机; 2022 adds 5 remote-controlled semi-dome, 6 multi-sensor panoramic, 7 multi-sensor with PTZ, 8 multi-sensor
 * panoramic without PTZ). Null when the type is absent or unknown (the stored capability is then kept).
 */
export function ptzOfType(ptzType: number | null): boolean | null {
  switch (ptzType) {
    case 1:
    case 4:
    case 5:
    case 7:
      return true;
    case 2:
    case 3:
    case 6:
    case 8:
      return false;
    default:
      return null;
  }
}
