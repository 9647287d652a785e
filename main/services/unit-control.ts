// What the HTTP API needs from the unit service: live status of units and keeping the hub in line with unit config.
import type { UnitStatus } from '../../common/api';
import type { UnitRow } from '../../storage/repositories';

export interface UnitControl {
  /** Online state, publishing address and recorder state of a unit. */
  status(unitId: number): UnitStatus;
  /**
   * After a unit was created or changed: the publish check uses the new settings at once. A disabled unit or a
   * rotated key closes the running publish (and so stops its recorder).
   */
  changed(unit: UnitRow, opts?: { keyRotated?: boolean }): Promise<void>;
  /** Before a unit is deleted: closes its publish and stops its recorder (closing the segment). */
  removed(unitId: number): Promise<void>;
  /** rtmp://<publicHost>:<rtmpPort>/live/<unitId>?key=<streamKey> */
  publishUrl(unitId: number, streamKey: string): string;
}
