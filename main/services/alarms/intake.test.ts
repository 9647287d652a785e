// Intake: a device event raised from a source's status carries the status reason as a code (worded by the console).
import { describe, expect, it } from 'vitest';
import { raiseInputOf } from './intake';

const base = { id: 9, cameraId: 3, state: 'pulse' as const, startMs: 1_000, lat: null, lon: null };

describe('raiseInputOf', () => {
  it('takes the status reason as message and as code when the message is that reason', () => {
    const input = raiseInputOf({
      ...base,
      type: 'camera_offline',
      detail: { source: 'argus', reason: 'Camera refused the connection (check address and port)', reasonMsg: { code: 'status.refused', params: {} } },
    });
    expect(input).toMatchObject({ message: 'Camera refused the connection (check address and port)', reason: { code: 'status.refused', params: {} } });
  });

  it('keeps no code when the message is not the reason (a unit link lost words its cause), or when the code is malformed', () => {
    const link = raiseInputOf({
      ...base,
      type: 'unit_offline',
      detail: { message: 'Unit lost its video link', cause: 'video_link_lost', reason: 'x', reasonMsg: { code: 'status.closed' } },
    });
    expect(link).toMatchObject({ message: 'Unit lost its video link', reason: null, cause: 'video_link_lost' });
    const bad = raiseInputOf({ ...base, type: 'recording_failed', detail: { reason: 'Recording disk is full', reasonMsg: { code: 5 } } });
    expect(bad).toMatchObject({ message: 'Recording disk is full', reason: null });
    const none = raiseInputOf({ ...base, type: 'motion', detail: null });
    expect(none).toMatchObject({ message: null, reason: null });
  });
});
