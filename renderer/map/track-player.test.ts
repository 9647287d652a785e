// Tests of the track clock: interpolation, play/pause/speed, and the seek hook both ways.
import { describe, expect, it } from 'vitest';
import { positionAt, TrackClock } from './track-player';
import { unitMapStatus } from './unit-status';

const track = [
  { tMs: 1000, lat: 10, lon: 20, speedMps: 1, headingDeg: 0 },
  { tMs: 2000, lat: 11, lon: 20, speedMps: 1, headingDeg: 0 },
  { tMs: 4000, lat: 11, lon: 22, speedMps: 1, headingDeg: 90 },
];

describe('track playback', () => {
  it('interpolates between fixes and clamps at the ends', () => {
    expect(positionAt(track, 500)).toMatchObject({ lat: 10, lon: 20, index: 0 });
    expect(positionAt(track, 1500)).toMatchObject({ lat: 10.5, lon: 20 });
    expect(positionAt(track, 3000)).toMatchObject({ lat: 11, lon: 21, index: 1 });
    expect(positionAt(track, 9000)).toMatchObject({ lat: 11, lon: 22, index: 2 });
    expect(positionAt([], 1)).toBeNull();
  });

  it('plays at a speed, stops at the end, and talks to a video player through the seek hook', () => {
    let now = 0;
    const clock = new TrackClock(7, 1000, 4000, () => now);
    const seeks: Array<[number, number]> = [];
    const times: number[] = [];
    clock.onSeek((id, t) => seeks.push([id, t]));
    clock.onChange((t) => times.push(t));
    clock.speed = 4;
    clock.play();
    now = 250;
    clock.tick();
    expect(clock.tMs).toBe(2000);
    clock.seek(3000); // scrub: the video is told
    expect(seeks).toEqual([[7, 3000]]);
    clock.videoTime(7, 3500); // the video plays: the marker follows without a seek back
    expect(clock.tMs).toBe(3500);
    expect(seeks.length).toBe(1);
    clock.videoTime(8, 1000); // another source: ignored
    expect(clock.tMs).toBe(3500);
    now = 1000;
    clock.tick();
    expect(clock.tMs).toBe(4000);
    expect(clock.playing).toBe(false);
    expect(times.at(-1)).toBe(4000);
    clock.close();
  });

  it('colours units: SOS, offline, stale after 60 s, online', () => {
    const pos = {
      unitId: 1,
      tMs: 100_000,
      lat: 0,
      lon: 0,
      altM: null,
      speedMps: null,
      headingDeg: null,
      accuracyM: null,
      batteryPct: null,
      signalDbm: null,
      sos: false,
    };
    expect(unitMapStatus({ sos: true, linkUp: true, position: pos, lastSeenMs: 100_000 }, 100_000)).toBe('sos');
    expect(unitMapStatus({ sos: false, linkUp: true, position: pos, lastSeenMs: 100_000 }, 159_000)).toBe('online');
    expect(unitMapStatus({ sos: false, linkUp: true, position: pos, lastSeenMs: 100_000 }, 161_000)).toBe('stale');
    expect(unitMapStatus({ sos: false, linkUp: false, position: pos, lastSeenMs: 100_000 }, 300_000)).toBe('offline');
    // HTTP batches only (no socket): connected while it sent something in the last 60 s
    expect(unitMapStatus({ sos: false, linkUp: false, position: pos, lastSeenMs: 150_000 }, 155_000)).toBe('online');
    expect(unitMapStatus({ sos: false, linkUp: false, position: pos, lastSeenMs: 150_000 }, 170_000)).toBe('stale');
    expect(unitMapStatus({ sos: false, linkUp: false, position: pos, lastSeenMs: 100_000 }, 100_000, true)).toBe('online');
    expect(unitMapStatus({ sos: false, linkUp: false, position: null, lastSeenMs: null }, 0)).toBe('offline');
  });
});
