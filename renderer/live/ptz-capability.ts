// Whether a camera has working PTZ (its ONVIF PTZ capability, GET /cameras/:id/ptz), asked once per camera and shared by its tiles.
import { useEffect, useState } from 'preact/hooks';
import type { PtzState } from '../../common/onvif';
import { ptzApi } from './ptz-api';

const known = new Map<number, Promise<boolean>>();

/**
 * True when the camera was added through ONVIF and reports PTZ; false for plain RTSP cameras and ONVIF cameras without
 * PTZ. A failed request is not remembered (asked again next time) and counts as false meanwhile: no tool that may not work.
 */
export function ptzCapable(cameraId: number, state: (id: number) => Promise<Pick<PtzState, 'ptz'>> = ptzApi.state): Promise<boolean> {
  let p = known.get(cameraId);
  if (!p) {
    p = state(cameraId).then(
      (s) => s.ptz === true,
      () => {
        known.delete(cameraId);
        return false;
      },
    );
    known.set(cameraId, p);
  }
  return p;
}

/** Forgets what is known (tests). */
export function forgetPtzCapabilities(): void {
  known.clear();
}

/** The camera's PTZ capability for a tile: false until known, and for no camera (null). */
export function usePtzCapable(cameraId: number | null): boolean {
  const [capable, setCapable] = useState(false);
  useEffect(() => {
    setCapable(false);
    if (cameraId === null) return;
    let live = true;
    void ptzCapable(cameraId).then((ok) => live && setCapable(ok));
    return () => {
      live = false;
    };
  }, [cameraId]);
  return capable;
}
