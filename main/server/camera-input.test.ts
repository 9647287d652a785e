// Tests of camera body → row conversion: URL credentials, defaults, patches and audit summaries.
import { describe, expect, test } from 'vitest';
import type { CameraRow } from '../../storage/repositories';
import { ApiError } from './errors';
import { cameraAuditView, cameraChanges, cameraPatchFromBody, newCameraFromBody, splitCredentials } from './camera-input';

const defaults = { segmentSeconds: 60, retentionDays: 30 };

describe('splitCredentials', () => {
  test('moves percent-decoded user:password out of the URL', () => {
    expect(splitCredentials('rtsp://ad%3Amin:p%40ss@cam.local:8554/live?x=1')).toEqual({
      url: 'rtsp://cam.local:8554/live?x=1',
      username: 'ad:min',
      password: 'p@ss',
    });
    expect(splitCredentials('rtsps://user@h/s')).toEqual({ url: 'rtsps://h/s', username: 'user', password: null });
  });
  test('leaves URLs without credentials untouched', () => {
    expect(splitCredentials('rtsp://H/Path')).toEqual({ url: 'rtsp://H/Path', username: null, password: null });
  });
});

describe('newCameraFromBody', () => {
  test('applies defaults', () => {
    expect(newCameraFromBody({ name: 'a', url: 'rtsp://h/s' }, defaults)).toEqual({
      name: 'a',
      url: 'rtsp://h/s',
      subUrl: null,
      username: null,
      password: null,
      transport: 'tcp',
      enabled: true,
      segmentSeconds: 60,
      retentionDays: 30,
      groupName: null,
      description: null,
    });
  });
  test('explicit fields win; subUrl credentials must agree', () => {
    const c = newCameraFromBody({ name: 'a', url: 'rtsp://u:p@h/s', subUrl: 'rtsp://u:p@h/sub', password: 'explicit' }, defaults);
    expect(c).toMatchObject({ url: 'rtsp://h/s', subUrl: 'rtsp://h/sub', username: 'u', password: 'explicit' });
    expect(() => newCameraFromBody({ name: 'a', url: 'rtsp://u:p@h/s', subUrl: 'rtsp://x:y@h/sub' }, defaults)).toThrow(ApiError);
    const fromSub = newCameraFromBody({ name: 'a', url: 'rtsp://h/s', subUrl: 'rtsp://u:p@h/sub' }, defaults);
    expect(fromSub).toMatchObject({ username: 'u', password: 'p', subUrl: 'rtsp://h/sub' });
  });
});

describe('cameraPatchFromBody', () => {
  test('contains only the given fields', () => {
    expect(cameraPatchFromBody({ retentionDays: 3 })).toEqual({ retentionDays: 3 });
    expect(cameraPatchFromBody({ password: null, subUrl: null })).toEqual({ password: null, subUrl: null });
    expect(cameraPatchFromBody({ url: 'rtsp://a:b@h/s' })).toEqual({ url: 'rtsp://h/s', username: 'a', password: 'b' });
    expect(cameraPatchFromBody({ url: 'rtsp://a:b@h/s', username: null })).toEqual({ url: 'rtsp://h/s', username: null, password: 'b' });
  });
});

describe('audit summaries', () => {
  const row: CameraRow = {
    id: 1,
    kind: 'rtsp',
    name: 'a',
    url: 'rtsp://h/s',
    subUrl: null,
    username: 'u',
    password: 'secret',
    transport: 'tcp',
    enabled: true,
    segmentSeconds: 60,
    retentionDays: 30,
    groupName: null,
    description: null,
    createdMs: 1,
    updatedMs: 1,
  };
  test('never contain the password', () => {
    expect(JSON.stringify(cameraAuditView(row))).not.toContain('secret');
    expect(cameraAuditView(row).hasPassword).toBe(true);
    expect(cameraChanges(row, { ...row, password: 'other', enabled: false })).toEqual({ enabled: { from: true, to: false }, password: 'changed' });
    expect(cameraChanges(row, { ...row, password: null })).toEqual({ password: 'cleared' });
  });
});
