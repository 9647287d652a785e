// End to end: a server restart keeps ONVIF devices usable (encrypted credentials decrypt with the key file) and resumes running tours.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../common/api';
import type { PtzPreset, PtzState, PtzTour } from '../../common/onvif';
import { loadConfig, type Config } from '../../main/config';
import { startBackend, type Backend } from '../../main/server/backend';
import { waitFor } from '../onvif-sim/harness';
import { OnvifSimulator } from '../onvif-sim/simulator';

const PASSWORD = 'onvif-restart-chief';

describe('ONVIF across a server restart', () => {
  let tmp: string;
  let config: Config;
  let b: Backend | null = null;
  let sim: OnvifSimulator;

  const start = async () => {
    b = await startBackend(config, { env: { ARGUS_ADMIN_PASSWORD: PASSWORD }, log: () => undefined });
    const r = await fetch(`${b.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const token = ((await r.json()) as LoginResponse).token;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return async <T = any>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const res = await fetch(b!.url + p, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-onvif-restart-'));
    config = loadConfig({
      dataDir: path.join(tmp, 'data'),
      env: {},
      overrides: { port: 0, rtmpPort: 0, sipPort: 0, onvifTimeoutMs: 1500, onvifHealthIntervalMs: 1000 },
    });
    sim = new OnvifSimulator({ username: 'onvif', password: 'restart-secret', sources: [{ token: 'vs1', mainUri: 'rtsp://127.0.0.1:9/main' }] });
    await sim.start();
  });

  afterAll(async () => {
    await b?.close();
    await sim?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps the device usable and the tour running', async () => {
    let api = await start();
    const add = await api<{ cameraIds: number[] }>('POST', '/api/v1/onvif/devices', {
      host: '127.0.0.1',
      port: sim.port,
      username: 'onvif',
      password: 'restart-secret',
      name: 'Restart PTZ',
      enabled: false,
    });
    expect(add.status).toBe(201);
    const id = add.body.cameraIds[0];
    const p1 = (await api<PtzPreset>('POST', `/api/v1/cameras/${id}/ptz/presets`, { name: 'One' })).body;
    await api('POST', `/api/v1/cameras/${id}/ptz/move`, { pan: 1, tilt: 0 });
    await new Promise((r) => setTimeout(r, 300));
    await api('POST', `/api/v1/cameras/${id}/ptz/stop`);
    const p2 = (await api<PtzPreset>('POST', `/api/v1/cameras/${id}/ptz/presets`, { name: 'Two' })).body;
    await api('POST', `/api/v1/cameras/${id}/ptz/release`);
    const tour = (
      await api<PtzTour>('POST', `/api/v1/cameras/${id}/ptz/tours`, {
        name: 'Loop',
        steps: [
          { presetId: p1.id, dwellSeconds: 1 },
          { presetId: p2.id, dwellSeconds: 1 },
        ],
      })
    ).body;
    expect((await api('POST', `/api/v1/cameras/${id}/ptz/tours/${tour.id}/start`)).status).toBe(200);
    await waitFor('tour running', () => sim.callsOf('GotoPreset').length >= 2);
    const key = fs.readFileSync(path.join(config.dataDir, 'secrets.key'), 'utf8');
    expect(fs.statSync(path.join(config.dataDir, 'secrets.key')).mode & 0o077).toBe(0);
    expect(fs.existsSync(path.join(config.dataDir, 'onvif.key'))).toBe(false); // the one secrets key seals ONVIF passwords too

    await b!.close();
    b = null;
    const stoppedAt = sim.callsOf('GotoPreset').length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(sim.callsOf('GotoPreset').length).toBe(stoppedAt); // nothing drives it while the server is down

    api = await start();
    expect(fs.readFileSync(path.join(config.dataDir, 'secrets.key'), 'utf8')).toBe(key);
    await waitFor('tour resumed after restart', () => sim.callsOf('GotoPreset').length >= stoppedAt + 2, 10_000);
    const st = await api<PtzState>('GET', `/api/v1/cameras/${id}/ptz`);
    expect(st.body.tour).toMatchObject({ tourId: tour.id, state: 'running' });
    // The stored (encrypted) credentials still work: a command reaches the device without re-entering the password.
    expect((await api('POST', `/api/v1/cameras/${id}/ptz/tour/stop`)).status).toBe(204);
    const before = sim.callsOf('ContinuousMove').length;
    expect((await api('POST', `/api/v1/cameras/${id}/ptz/move`, { pan: -1, tilt: 0 })).status).toBe(204);
    expect(sim.callsOf('ContinuousMove').length).toBe(before + 1);
    await api('POST', `/api/v1/cameras/${id}/ptz/stop`);
    expect(sim.authFailures).toBe(0);
  }, 60_000);
});
