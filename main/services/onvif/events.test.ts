// Tests of ONVIF notification normalization (topics and data items of common devices → motion / tamper / digital input) and of what Argus records of Initialized/Deleted property states.
import { describe, expect, it } from 'vitest';
import { decide, normalize } from './events';

const msg = (topic: string, data: Record<string, string>, operation = 'Changed') => ({ topic, utcMs: 5, operation, source: { VideoSourceToken: 'vs1' }, data });

describe('normalize', () => {
  it('maps motion, tamper and digital input topics with their state items', () => {
    expect(normalize(msg('tns1:VideoSource/MotionAlarm', { State: 'true' }))).toMatchObject({ type: 'motion', state: 'active', operation: 'Changed' });
    expect(normalize(msg('tns1:RuleEngine/CellMotionDetector/Motion', { IsMotion: 'false' }))).toMatchObject({ type: 'motion', state: 'inactive' });
    expect(normalize(msg('tns1:VideoSource/ImageTooBlurry/ImagingService', { State: 'true' }))).toMatchObject({ type: 'tamper', state: 'active' });
    expect(normalize(msg('tns1:RuleEngine/TamperDetector/Tamper', { IsTamper: 'true' }))).toMatchObject({ type: 'tamper', state: 'active' });
    expect(normalize(msg('tns1:Device/Trigger/DigitalInput', { LogicalState: 'true' }))).toMatchObject({ type: 'digital_input', state: 'active' });
  });

  it('keeps the property operation and ignores topics Argus does not track', () => {
    expect(normalize(msg('tns1:VideoSource/MotionAlarm', { State: 'true' }, 'Initialized'))).toMatchObject({ state: 'active', operation: 'Initialized' });
    expect(normalize(msg('tns1:Monitoring/ProcessorUsage', { Value: '12' }))).toBeNull();
  });
});

describe('decide', () => {
  const ev = (state: 'true' | 'false', op: string) => normalize(msg('tns1:VideoSource/MotionAlarm', { State: state }, op))!;
  it('records every change, Initialized states only when they differ from what Argus knew, and Deleted as the end of an active state', () => {
    expect(decide(ev('true', 'Changed'), 'active')).not.toBeNull();
    expect(decide(ev('true', 'Initialized'), null)).toMatchObject({ state: 'active' });
    expect(decide(ev('false', 'Initialized'), null)).toBeNull();
    expect(decide(ev('false', 'Initialized'), 'active')).toMatchObject({ state: 'inactive' });
    expect(decide(ev('true', 'Initialized'), 'active')).toBeNull();
    expect(decide(ev('true', 'Deleted'), 'active')).toMatchObject({ state: 'inactive' });
    expect(decide(ev('false', 'Deleted'), 'inactive')).toBeNull();
  });
});
