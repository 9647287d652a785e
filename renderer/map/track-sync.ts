// The current track playback clock, shared with a video player (issue 6): subscribe here to follow "seek to T" requests.
import { Store } from '../state/store';
import type { TrackClock } from './track-player';

/** Set while a track is loaded on the Map tab; a recording player subscribes to its onSeek and reports videoTime. */
export const activeTrackClock = new Store<TrackClock | null>(null);
