// Tests that the console's client derives method, path, query and body of a call from the endpoint declarations.
import { describe, expect, test } from 'vitest';
import { requestOf } from '../common/endpoint';
import * as E from '../common/endpoints';
import { ApiClient, ApiError } from './api';
import { gpsApi } from './map/gps-api';
import { wallStateApi } from './live/wall-api';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function client(answer: (s: Sent) => Response = () => new Response('{"ok":true}', { status: 200 })): { api: ApiClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const api = new ApiClient({
    baseUrl: 'http://srv',
    getToken: () => 'tok',
    onUnauthorized: () => undefined,
    fetchImpl: async (input, init) => {
      const s: Sent = {
        method: init?.method ?? 'GET',
        url: String(input),
        headers: (init?.headers ?? {}) as Record<string, string>,
        body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
      };
      sent.push(s);
      return answer(s);
    },
  });
  return { api, sent };
}

describe('the client derived from the declarations', () => {
  test('method and path with params filled in (percent-encoded) and the query appended without empty values', () => {
    expect(requestOf(E.getCamerasByid, { params: { id: 7 } })).toEqual({ method: 'GET', url: '/api/v1/cameras/7' });
    expect(requestOf(E.putLayoutsByname, { params: { name: 'Gate 1/2' } })).toEqual({ method: 'PUT', url: '/api/v1/layouts/Gate%201%2F2' });
    expect(requestOf(E.getSegments, { query: { cameraId: 3, startMs: 10, endMs: undefined } })).toEqual({
      method: 'GET',
      url: '/api/v1/segments?cameraId=3&startMs=10',
    });
    expect(requestOf(E.patchCamerasByidPtzPresetsBypresetId, { params: { id: 2, presetId: 9 } })).toEqual({
      method: 'PATCH',
      url: '/api/v1/cameras/2/ptz/presets/9',
    });
    expect(() => requestOf(E.getCamerasByid, {})).toThrow(/missing parameter id/);
  });

  test('calls send what the declaration says: method, URL, token, JSON body', async () => {
    const { api, sent } = client();
    await api.updateCamera(4, { name: 'North gate' });
    await api.listSegments({ cameraId: 4, startMs: 0, endMs: 1000 });
    await api.call(E.postCamerasByidPtzMove, { params: { id: 4 }, body: { pan: 0.5, tilt: 0, zoom: 0 } });
    await wallStateApi(api).putCarousel(2, {
      steps: [
        { layoutId: 1, seconds: 10 },
        { layoutId: 2, seconds: 10 },
      ],
      step: 0,
      running: true,
    });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'PATCH http://srv/api/v1/cameras/4',
      'GET http://srv/api/v1/segments?cameraId=4&startMs=0&endMs=1000',
      'POST http://srv/api/v1/cameras/4/ptz/move',
      'PUT http://srv/api/v1/wall-state/2/carousel',
    ]);
    expect(sent[0]).toMatchObject({ headers: { Authorization: 'Bearer tok', 'Content-Type': 'application/json' }, body: { name: 'North gate' } });
    expect(sent[1].body).toBeUndefined();
    expect(sent[2].body).toEqual({ pan: 0.5, tilt: 0, zoom: 0 });
  });

  test('login sends no token; a 204 answers undefined; an error answer becomes an ApiError with its code', async () => {
    const { api, sent } = client((s) =>
      s.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : s.url.endsWith('/login')
          ? new Response('{"token":"t","expiresMs":1,"user":{}}', { status: 200 })
          : new Response(JSON.stringify({ error: { kind: 'not_found', message: 'camera 9 not found', code: 'camera.not_found', params: { id: 9 } } }), {
              status: 404,
            }),
    );
    expect(await api.login({ username: 'a', password: 'b' })).toMatchObject({ token: 't' });
    expect(sent[0].headers.Authorization).toBeUndefined();
    expect(await api.deleteCamera(3)).toBeUndefined();
    expect(sent[1]).toMatchObject({ method: 'DELETE', url: 'http://srv/api/v1/cameras/3' });
    const err = await api.getCamera(9).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'camera.not_found', params: { id: 9 } });
  });

  test('the gps client uses the declarations too', () => {
    expect(requestOf(E.getGpsUnitsByidTrack, { params: { id: 5 }, query: { startMs: 1, endMs: 2 } })).toEqual({
      method: 'GET',
      url: '/api/v1/gps/units/5/track?startMs=1&endMs=2',
    });
    expect(requestOf(E.getGpsNearest, { query: { lat: 31.2, lon: 121.5, limit: 5 } }).url).toBe('/api/v1/gps/nearest?lat=31.2&lon=121.5&limit=5');
    expect(typeof gpsApi.track).toBe('function');
  });
});
