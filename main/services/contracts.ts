// Service contracts one feature offers another (alarm linkage drives PTZ, bookmarks and snapshots); implemented by the features.

/** Who asked: a user (with role, for PTZ priority) or the system (an alarm rule, a tour). */
export type Actor =
  | { kind: 'user'; userId: number; username: string; role: import('../../common/api').Role }
  | { kind: 'system'; reason: string };

/** PTZ moves another feature may ask for (implemented by the ONVIF feature, issue 4). */
export interface PtzActions {
  /** Moves the camera to a stored preset (by preset id as the API shows it). Rejects with a clear message when impossible. */
  gotoPreset(cameraId: number, presetId: number, actor: Actor): Promise<void>;
}

/** Bookmarks and snapshots another feature may create (implemented by the investigation feature, issue 6). */
export interface EvidenceActions {
  /** Marks [startMs, endMs] of a camera's (or unit's) recording with a note; returns the bookmark id. */
  createBookmark(input: { cameraId: number; startMs: number; endMs: number; note: string; actor: Actor }): Promise<{ id: number }>;
  /** Takes a JPEG of the camera's live picture now; returns the snapshot id. */
  takeSnapshot(input: { cameraId: number; note: string; actor: Actor }): Promise<{ id: number }>;
}
