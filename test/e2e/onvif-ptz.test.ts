// End to end (in-process back end, stateful ONVIF simulator, real `onvif` client): PTZ move/stop, lost release, presets, control priority, tours, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PtzPosition, PtzPreset, PtzState, PtzTour, TourStatus } from '../../common/onvif';
import { addSim, startHarness, waitFor, type Harness } from '../onvif-sim/harness';
import type { OnvifSimulator } from '../onvif-sim/simulator';

let h: Harness;

beforeAll(async () => {
  // Move timeout 800 ms, control idle 2.5 s (see startHarness).
  h = await startHarness();
}, 90_000);

afterAll(async () => {
  await h?.close();
}, 60_000);

const ptz = (id: number, rest = '') => `/api/v1/cameras/${id}/ptz${rest}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function auditActions(id: number): Promise<Array<{ action: string; username: string | null; detail: unknown }>> {
  const all = await h.b.store.audit.query({ limit: 5000 });
  return all
    .filter((a) => a.targetType === 'camera' && a.targetId === String(id))
    .sort((x, y) => x.id - y.id)
    .map((a) => ({ action: a.action, username: a.username, detail: a.detail }));
}

async function newCamera(name: string): Promise<{ sim: OnvifSimulator; id: number }> {
  const sim = await h.sim({ unitsPerSecond: 0.5 });
  const [id] = await addSim(h, sim, name);
  return { sim, id };
}

describe('PTZ move and stop', () => {
  it('moves while ContinuousMove runs, stops on stop, and audits one entry per movement', async () => {
    const { sim, id } = await newCamera('Move cam');
    const st = await h.api<PtzState>('GET', ptz(id));
    expect(st.body).toMatchObject({ ptz: true, holder: null, tour: null, moveTimeoutMs: 800, controlIdleMs: 2500, myPriority: 40 });

    expect((await h.api('POST', ptz(id, '/move'), { pan: 0.5, tilt: 0 })).status).toBe(204);
    // Repeat the same move as the console does while the button is held: no new audit entries.
    for (let i = 0; i < 3; i++) {
      await sleep(200);
      expect((await h.api('POST', ptz(id, '/move'), { pan: 0.5, tilt: 0 })).status).toBe(204);
    }
    const moving = (await h.api<PtzPosition>('GET', ptz(id, '/position'))).body;
    expect(moving.moving).toBe(true);
    expect(moving.pan).toBeGreaterThan(0.1);
    expect((await h.api('POST', ptz(id, '/stop'))).status).toBe(204);
    const p1 = sim.getPosition();
    expect(p1.moving).toBe(false);
    await sleep(300);
    expect(sim.getPosition().x).toBe(p1.x);
    const acts = (await auditActions(id)).map((a) => a.action);
    expect(acts.filter((a) => a === 'ptz.move')).toHaveLength(1);
    expect(acts).toContain('ptz.stop');
    // A new direction is a new movement.
    await h.api('POST', ptz(id, '/move'), { pan: 0, tilt: -1, zoom: 0 });
    await h.api('POST', ptz(id, '/move'), { pan: 0, tilt: 0, zoom: 0.5 });
    await h.api('POST', ptz(id, '/stop'));
    expect((await auditActions(id)).filter((a) => a.action === 'ptz.move')).toHaveLength(3);
    const body = await h.api('POST', ptz(id, '/move'), { pan: 2, tilt: 0 });
    expect(body.status).toBe(400);
    expect(body.body.error.fields[0].path).toBe('pan');
  }, 30_000);

  it('stops the camera by itself when the release is lost', async () => {
    const { sim, id } = await newCamera('Lost release cam');
    const t0 = Date.now();
    await h.api('POST', ptz(id, '/move'), { pan: -1, tilt: 0 });
    expect(sim.getPosition().moving).toBe(true);
    // No stop, no repeat: the operator's connection dropped.
    await waitFor('camera stopped', () => !sim.getPosition().moving, 5000, 20);
    const stoppedAfter = Date.now() - t0;
    expect(stoppedAfter).toBeGreaterThanOrEqual(700);
    expect(stoppedAfter).toBeLessThan(800 + 1500);
    expect(sim.callsOf('Stop')).toHaveLength(1);
    const x = sim.getPosition().x;
    await sleep(500);
    expect(sim.getPosition().x).toBe(x);
    const stopAudit = (await auditActions(id)).find((a) => a.action === 'ptz.stop');
    expect(stopAudit).toMatchObject({ username: null, detail: { reason: 'move timeout', by: 'lost release' } });
    // The device was also told to stop by itself (ContinuousMove Timeout) in case the server dies.
    expect(Number(sim.callsOf('ContinuousMove')[0].args.timeoutMs)).toBeGreaterThan(0);
  }, 20_000);
});

describe('presets', () => {
  it('saves, lists, recalls, renames and deletes presets that persist on the device', async () => {
    const { sim, id } = await newCamera('Preset cam');
    await h.api('POST', ptz(id, '/move'), { pan: 1, tilt: 0.5 });
    await sleep(400);
    await h.api('POST', ptz(id, '/stop'));
    const posA = sim.getPosition();
    const a = await h.api<PtzPreset>('POST', ptz(id, '/presets'), { name: 'Gate' });
    expect(a.status).toBe(201);
    expect(sim.presetList().map((p) => p.name)).toEqual(['Gate']);
    await h.api('POST', ptz(id, '/home'));
    expect(sim.getPosition()).toMatchObject({ x: 0, y: 0 });
    const b = await h.api<PtzPreset>('POST', ptz(id, '/presets'), { name: 'Home view' });
    const dup = await h.api('POST', ptz(id, '/presets'), { name: 'Gate' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields[0].path).toBe('name');

    const list = await h.api<PtzPreset[]>('GET', ptz(id, '/presets'));
    expect(list.body.map((p) => p.name)).toEqual(['Gate', 'Home view']);
    expect((await h.api('POST', ptz(id, `/presets/${a.body.id}/goto`))).status).toBe(204);
    expect(sim.getPosition()).toMatchObject({ x: posA.x, y: posA.y });

    const renamed = await h.api<PtzPreset>('PATCH', ptz(id, `/presets/${a.body.id}`), { name: 'Main gate' });
    expect(renamed.body).toMatchObject({ id: a.body.id, name: 'Main gate' });
    expect((await h.api<PtzPreset[]>('GET', ptz(id, '/presets'))).body.map((p) => p.name)).toEqual(['Main gate', 'Home view']);

    expect((await h.api('DELETE', ptz(id, `/presets/${b.body.id}`))).status).toBe(204);
    expect(sim.presetList().map((p) => p.token)).toEqual([a.body.token]);
    expect((await h.api('POST', ptz(id, `/presets/${b.body.id}/goto`))).status).toBe(404);
    // Presets live on the device: a device restart keeps them.
    await sim.restart(100);
    expect((await h.api<PtzPreset[]>('GET', ptz(id, '/presets'))).body.map((p) => p.id)).toEqual([a.body.id]);
    const acts = (await auditActions(id)).map((x) => x.action);
    expect(acts).toEqual(expect.arrayContaining(['ptz.preset.create', 'ptz.preset.goto', 'ptz.preset.rename', 'ptz.preset.delete', 'ptz.home']));
  }, 30_000);

  it('lets the alarm feature recall a preset through the contract', async () => {
    const { sim, id } = await newCamera('Alarm cam');
    const p = await h.api<PtzPreset>('POST', ptz(id, '/presets'), { name: 'Door' });
    await h.api('POST', ptz(id, '/release'));
    await h.b.features.onvif.control.gotoPreset(id, p.body.id, { kind: 'system', reason: 'alarm rule 7' });
    expect(sim.callsOf('GotoPreset').map((c) => c.args.PresetToken)).toEqual([p.body.token]);
    await expect(h.b.features.onvif.control.gotoPreset(id, 999_999, { kind: 'system', reason: 'alarm rule 7' })).rejects.toThrow(/no preset/);
  }, 20_000);
});

describe('control priority', () => {
  it('lets a higher priority take over at once, tells a lower one who holds it, and releases after idle time', async () => {
    const { sim, id } = await newCamera('Priority cam');
    const officer = await h.addUser('officer-p', 'officer');
    // Officers steer only where granted (issue 13): this one may watch and steer this camera.
    await h.grant('officer-p', 'live.view', id);
    await h.grant('officer-p', 'ptz.control', id);
    const dispatcher = await h.addUser('dispatcher-p', 'dispatcher');
    const investigator = await h.addUser('investigator-p', 'investigator');
    await h.grant('investigator-p', 'ptz.control', id); // investigators watch everywhere but steer only where granted

    // The officer is moving when the dispatcher takes over with a non-move command: the officer's movement ends.
    expect((await h.api('POST', ptz(id, '/move'), { pan: 0.2, tilt: 0 }, officer)).status).toBe(204);
    const sinceTakeover = Date.now();
    const stopsBefore = sim.callsOf('Stop').length;
    expect((await h.api('POST', ptz(id, '/home'), undefined, dispatcher)).status).toBe(204);
    expect(sim.callsOf('Stop').length).toBe(stopsBefore + 1);
    expect(sim.getPosition().moving).toBe(false);
    expect((await h.api('POST', ptz(id, '/move'), { pan: 0.2, tilt: 0 }, officer)).status).toBe(409); // the officer's repeat
    expect((await h.api('POST', ptz(id, '/move'), { pan: -0.2, tilt: 0 }, dispatcher)).status).toBe(204);
    await h.api('POST', ptz(id, '/stop'), undefined, dispatcher);
    const ev = await waitFor('takeover event', () =>
      h.events.find((e) => e.atMs >= sinceTakeover && e.ev.type === 'ptz.control' && e.ev.cameraId === id && e.ev.reason === 'takeover'),
    );
    if (ev.ev.type !== 'ptz.control') throw new Error('unreachable');
    expect(ev.ev.holder).toMatchObject({ username: 'dispatcher-p', role: 'dispatcher', priority: 30 });

    const refused = await h.api('POST', ptz(id, '/move'), { pan: 0.2, tilt: 0 }, investigator);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/held by dispatcher-p \(dispatcher, priority 30\)/);
    expect((await h.api('POST', ptz(id, '/stop'), undefined, officer)).status).toBe(409);

    // Per-user priority: the investigator is raised above the dispatcher and takes over.
    const users = await h.api<Array<{ userId: number; username: string }>>('GET', '/api/v1/onvif/priorities');
    const inv = users.body.find((u) => u.username === 'investigator-p')!;
    expect((await h.api('PUT', `/api/v1/onvif/priorities/${inv.userId}`, { priority: 35 })).body).toMatchObject({ priority: 35, effective: 35 });
    expect((await h.api('PUT', `/api/v1/onvif/priorities/${inv.userId}`, { priority: 35 }, officer)).status).toBe(403);
    expect((await h.api('POST', ptz(id, '/home'), undefined, investigator)).status).toBe(204);
    expect((await h.api<PtzState>('GET', ptz(id))).body.holder).toMatchObject({ username: 'investigator-p', priority: 35 });

    // Idle: released after 2.5 s without a command; then the officer may steer.
    const idleFrom = Date.now();
    const released = await waitFor(
      'idle release',
      () => h.events.find((e) => e.atMs >= idleFrom && e.ev.type === 'ptz.control' && e.ev.cameraId === id && e.ev.reason === 'idle'),
      8000,
    );
    expect(released.atMs - idleFrom).toBeGreaterThanOrEqual(1500);
    expect((await h.api('POST', ptz(id, '/home'), undefined, officer)).status).toBe(204);
    const acts = await auditActions(id);
    expect(acts.filter((a) => a.action === 'ptz.takeover').map((a) => a.username)).toEqual(['dispatcher-p', 'investigator-p']);
  }, 30_000);
});

describe('tours', () => {
  it('visits the presets in order with their dwell times, yields to an operator and resumes after release', async () => {
    const { sim, id } = await newCamera('Tour cam');
    const mk = async (name: string, pan: number) => {
      await h.api('POST', ptz(id, '/move'), { pan, tilt: 0 });
      await sleep(150);
      await h.api('POST', ptz(id, '/stop'));
      return (await h.api<PtzPreset>('POST', ptz(id, '/presets'), { name })).body;
    };
    const a = await mk('A', 1);
    const b = await mk('B', -1);
    const c = await mk('C', 1);
    await h.api('POST', ptz(id, '/release'));
    const bad = await h.api('POST', ptz(id, '/tours'), { name: 'Bad', steps: [{ presetId: 999_999, dwellSeconds: 1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('steps.0.presetId');
    const tour = await h.api<PtzTour>('POST', ptz(id, '/tours'), {
      name: 'Perimeter',
      steps: [
        { presetId: a.id, dwellSeconds: 1 },
        { presetId: b.id, dwellSeconds: 2 },
        { presetId: c.id, dwellSeconds: 1 },
      ],
    });
    expect(tour.status).toBe(201);
    const gotoBefore = sim.callsOf('GotoPreset').length;
    const started = await h.api<TourStatus>('POST', ptz(id, `/tours/${tour.body.id}/start`));
    expect(started.body).toMatchObject({ tourId: tour.body.id, state: 'running' });
    await waitFor('four tour steps', () => sim.callsOf('GotoPreset').length >= gotoBefore + 4, 15_000);
    const calls = sim.callsOf('GotoPreset').slice(gotoBefore, gotoBefore + 4);
    expect(calls.map((x) => x.args.PresetToken)).toEqual([a.token, b.token, c.token, a.token]);
    const gaps = calls.slice(1).map((x, i) => x.tMs - calls[i].tMs);
    expect(gaps[0]).toBeGreaterThanOrEqual(1000 - 30);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000 - 30);
    expect(gaps[2]).toBeGreaterThanOrEqual(1000 - 30);
    expect(gaps[1]).toBeGreaterThan(gaps[0] + 500);

    // An operator takes over: the tour yields (no more GotoPreset), then resumes after release.
    await h.api('POST', ptz(id, '/move'), { pan: 0.3, tilt: 0 });
    await waitFor('tour yielded', () => h.events.find((e) => e.ev.type === 'ptz.tour' && e.ev.cameraId === id && e.ev.tour?.state === 'yielded'));
    await h.api('POST', ptz(id, '/stop'));
    const during = sim.callsOf('GotoPreset').length;
    await sleep(1200); // less than the 2.5 s control idle time
    expect(sim.callsOf('GotoPreset').length).toBe(during);
    expect(sim.callsOf('GotoPreset').length).toBe(during);
    expect((await h.api<PtzState>('GET', ptz(id))).body.tour).toMatchObject({ state: 'yielded' });
    await h.api('POST', ptz(id, '/release'));
    await waitFor('tour resumed', () => sim.callsOf('GotoPreset').length > during, 5000);
    expect((await h.api<PtzState>('GET', ptz(id))).body.tour).toMatchObject({ state: 'running', tourId: tour.body.id });

    // It runs on the server: no console needed. Stop it.
    expect((await h.api('POST', ptz(id, '/tour/stop'))).status).toBe(204);
    const after = sim.callsOf('GotoPreset').length;
    await sleep(2500);
    expect(sim.callsOf('GotoPreset').length).toBe(after);
    expect((await h.api<PtzState>('GET', ptz(id))).body.tour).toBeNull();
    const acts = (await auditActions(id)).map((x) => x.action);
    expect(acts).toEqual(expect.arrayContaining(['ptz.tour.create', 'ptz.tour.start', 'ptz.tour.stop']));
    // A preset used by a tour cannot be deleted.
    expect((await h.api('DELETE', ptz(id, `/presets/${b.id}`))).status).toBe(409);
  }, 60_000);

  it('answers 503 quickly when the device hangs or answers garbage, and works again afterwards', async () => {
    const { sim, id } = await newCamera('Flaky cam');
    sim.mode = 'hang';
    const t0 = Date.now();
    const hung = await h.api('POST', ptz(id, '/move'), { pan: 1, tilt: 0 });
    expect(hung.status).toBe(503);
    expect(hung.body.error.message).toMatch(/did not answer ContinuousMove within 1.5 s/);
    expect(Date.now() - t0).toBeLessThan(1500 + 3000);
    expect((await h.api('GET', '/api/v1/onvif/devices')).status).toBe(200); // the server is not blocked
    sim.mode = 'malformed';
    const garbage = await h.api('POST', ptz(id, '/home'));
    expect(garbage.status).toBe(503);
    expect(garbage.body.error.message).toMatch(/malformed/);
    sim.mode = 'ok';
    expect((await h.api('POST', ptz(id, '/home'))).status).toBe(204);
    expect((await h.api<PtzPosition>('GET', ptz(id, '/position'))).body).toMatchObject({ pan: 0, tilt: 0, moving: false });
  }, 20_000);

  it('refuses PTZ on a camera that was not added through ONVIF', async () => {
    const r = await h.api('POST', '/api/v1/cameras', { name: 'Plain RTSP', url: h.rtsp.url('cam1'), enabled: false });
    expect(r.status).toBe(201);
    const m = await h.api('POST', ptz(r.body.id, '/move'), { pan: 1, tilt: 0 });
    expect(m.status).toBe(409);
    expect(m.body.error.message).toMatch(/not added through ONVIF/);
    expect((await h.api<PtzState>('GET', ptz(r.body.id))).body).toMatchObject({ ptz: false, presets: [], tours: [] });
    expect((await h.api('GET', ptz(999_999))).status).toBe(404);
  });
});
