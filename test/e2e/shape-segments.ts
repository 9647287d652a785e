// Test support: recorded segments in the shape of a field source (FIELD_SHAPES: codec, B-frames, GOP, fps, audio), with the barcode frame numbers of investigation-fixtures.
import { FIELD_SHAPES, fieldClip, type FieldShape } from '../helpers/clips';
import type { SegShape } from './investigation-fixtures';

/**
 * The segment shape of a field source. G.711 sources get their clip's audio transcoded to AAC, which is how the
 * recorder stores them (item 3 of issue 11); AAC sources get AAC; silent ones none.
 */
export async function segShapeOf(shape: FieldShape, seconds: number): Promise<SegShape> {
  const f = FIELD_SHAPES[shape] as { codec: 'h264' | 'h265'; bframes?: number; gopSeconds?: number; fps?: number; audio: 'aac' | 'alaw' | 'mulaw' | false };
  const audio = f.audio === false ? null : f.audio === 'aac' ? 'aac' : { from: await fieldClip(shape, seconds) };
  return { codec: f.codec, bframes: f.bframes ?? 0, gopSeconds: f.gopSeconds ?? 1, fps: f.fps ?? 25, audio };
}
