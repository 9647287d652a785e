// What the HTTP API needs from the recording service: status per camera and keeping recorders in line with camera config.
import type { CameraStatus } from '../../common/api';
import type { CameraRow } from '../../storage/repositories';

export interface RecordingControl {
  /** Current status of a camera's recorder ('stopped' when none runs). */
  status(cameraId: number): CameraStatus;
  /** Starts, restarts or stops the camera's recorder so that it matches the row (enabled, url, transport, segmentSeconds...). */
  apply(camera: CameraRow): Promise<void>;
  /** Stops the camera's recorder cleanly (closing its last segment) and forgets it. */
  remove(cameraId: number): Promise<void>;
  /** Brings a publishing unit's recorder in line with its channel's recording policy (after a change of the policy). */
  applyUnit?(unitId: number): Promise<void>;
  /** True while a live-only relay copies the channel into the hub (its recording policy does not record now). */
  liveRelaying?(channelId: number): boolean;
}
