// Cross-tab request to open sources in the Playback tab at a moment (from search results and cases).
import { Store } from '../state/store';

export interface PlaybackRequest {
  cameraIds: number[];
  atMs: number;
  seq: number;
}

export const playbackRequest = new Store<PlaybackRequest | null>(null);

let seq = 0;
export function openInPlayback(cameraIds: number[], atMs: number): void {
  playbackRequest.set({ cameraIds, atMs, seq: ++seq });
}
