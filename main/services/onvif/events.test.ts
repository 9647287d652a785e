// Tests of ONVIF notification normalization (topics and data items of common devices → motion / tamper / digital input).
import { describe, expect, it } from 'vitest';
import { normalize } from './events';

const msg = (topic: string, data: Record<string, string>, operation = 'Changed') => ({ topic, utcMs: 5, operation, source: { VideoSourceToken: 'vs1' }, data });

describe('normalize', () => {
  it('maps motion, tamper and digital input topics with their state items', () => {
    expect(normalize(msg('tns1:VideoSource/MotionAlarm', { State: 'true' }))).toMatchObject({ type: 'motion', state: 'active' });
    expect(normalize(msg('tns1:RuleEngine/CellMotionDetector/Motion', { IsMotion: 'false' }))).toMatchObject({ type: 'motion', state: 'inactive' });
    expect(normalize(msg('tns1:VideoSource/ImageTooBlurry/ImagingService', { State: 'true' }))).toMatchObject({ type: 'tamper', state: 'active' });
    expect(normalize(msg('tns1:RuleEngine/TamperDetector/Tamper', { IsTamper: 'true' }))).toMatchObject({ type: 'tamper', state: 'active' });
    expect(normalize(msg('tns1:Device/Trigger/DigitalInput', { LogicalState: 'true' }))).toMatchObject({ type: 'digital_input', state: 'active' });
  });

  it('ignores state snapshots at subscription time and topics Argus does not track', () => {
    expect(normalize(msg('tns1:VideoSource/MotionAlarm', { State: 'true' }, 'Initialized'))).toBeNull();
    expect(normalize(msg('tns1:Monitoring/ProcessorUsage', { Value: '12' }))).toBeNull();
  });
});
