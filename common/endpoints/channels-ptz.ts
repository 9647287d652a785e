// The PTZ endpoints of /cameras/:id/ptz… declared again under /channels/:id/ptz… (same params, body, response and right; the id is the channel id).
import type { Endpoint } from '../endpoint';
import * as P from './onvif';

const FROM = '/api/v1/cameras/:id/ptz';

/** The declaration of a /cameras PTZ endpoint with its path under /channels (a declaration of its own: bound, documented, callable). */
function onChannel<Pa, Q, B, R>(e: Endpoint<Pa, Q, B, R>): Endpoint<Pa, Q, B, R> {
  if (!e.path.startsWith(FROM)) throw new Error(`not a /cameras PTZ endpoint: ${e.path}`);
  const from = e.path.replace('/api/v1', '');
  return { ...e, path: `/api/v1/channels/:id/ptz${e.path.slice(FROM.length)}`, description: `Same as ${e.method} ${from}. ${e.description ?? ''}`.trim() };
}

export const getChannelsByidPtz = onChannel(P.getCamerasByidPtz);
export const getChannelsByidPtzPosition = onChannel(P.getCamerasByidPtzPosition);
export const postChannelsByidPtzMove = onChannel(P.postCamerasByidPtzMove);
export const postChannelsByidPtzStop = onChannel(P.postCamerasByidPtzStop);
export const postChannelsByidPtzRelease = onChannel(P.postCamerasByidPtzRelease);
export const postChannelsByidPtzHome = onChannel(P.postCamerasByidPtzHome);
export const postChannelsByidPtzHomeSet = onChannel(P.postCamerasByidPtzHomeSet);
export const getChannelsByidPtzPresets = onChannel(P.getCamerasByidPtzPresets);
export const postChannelsByidPtzPresets = onChannel(P.postCamerasByidPtzPresets);
export const patchChannelsByidPtzPresetsBypresetId = onChannel(P.patchCamerasByidPtzPresetsBypresetId);
export const deleteChannelsByidPtzPresetsBypresetId = onChannel(P.deleteCamerasByidPtzPresetsBypresetId);
export const postChannelsByidPtzPresetsBypresetIdGoto = onChannel(P.postCamerasByidPtzPresetsBypresetIdGoto);
export const getChannelsByidPtzTours = onChannel(P.getCamerasByidPtzTours);
export const postChannelsByidPtzTours = onChannel(P.postCamerasByidPtzTours);
export const putChannelsByidPtzToursBytourId = onChannel(P.putCamerasByidPtzToursBytourId);
export const deleteChannelsByidPtzToursBytourId = onChannel(P.deleteCamerasByidPtzToursBytourId);
export const postChannelsByidPtzToursBytourIdStart = onChannel(P.postCamerasByidPtzToursBytourIdStart);
export const postChannelsByidPtzTourStop = onChannel(P.postCamerasByidPtzTourStop);
