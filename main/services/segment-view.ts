// The API view of a segment index row (no file path): used by the HTTP routes and the segment.closed event.
import type { Segment } from '../../common/api';
import type { SegmentRow } from '../../storage/repositories';

/** Segment as the API shows it: no file path. */
export function toApiSegment(r: SegmentRow): Segment {
  return {
    id: r.id,
    cameraId: r.cameraId,
    startMs: r.startMs,
    endMs: r.endMs,
    durationMs: r.durationMs,
    sizeBytes: r.sizeBytes,
    videoCodec: r.videoCodec,
    audioCodec: r.audioCodec,
    width: r.width,
    height: r.height,
    fps: r.fps,
    state: r.state,
    protected: r.protected,
    recovered: r.recovered,
  };
}
