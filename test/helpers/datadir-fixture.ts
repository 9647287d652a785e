// Test helper: the committed data directory made by scripts/make-datadir-fixture.ts (test/fixtures/datadir-r1/): its ids and a fresh copy to run a server on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DATADIR_FIXTURE = path.resolve(import.meta.dirname, '..', 'fixtures', 'datadir-r1');

/** What the fixture holds, by id (test/fixtures/datadir-r1/ids.json). */
export interface FixtureIds {
  adminPassword: string;
  investigator: { username: string; password: string; role: string };
  cameras: { gate: number; dock: number; ptz: number };
  /** The ONVIF device of the PTZ camera, its presets and tour. */
  onvif: { device: number; presets: number[]; tour: number };
  units: { patrol: number; body: number };
  /** Segment ids per camera or unit id, in time order. */
  segments: Record<string, number[]>;
  layout: number;
  caseId: number;
  caseReference: string;
  bookmark: number;
  snapshot: number;
  exportId: number;
  exportDir: string;
  hold: number;
  heldSegments: number;
  alarmRule: number;
  geofence: number;
  alarms: { closed: number; open: number };
  /** Times (UTC ms) of the stored GPS points per unit id. */
  gpsPoints: Record<string, number[]>;
  auditActions: Array<{ id: number; action: string }>;
}

export interface FixtureManifest extends FixtureIds {
  madeBy: { commit: string; dirty: boolean; madeMs: number };
}

export function readFixtureIds(): FixtureManifest {
  return JSON.parse(fs.readFileSync(path.join(DATADIR_FIXTURE, 'ids.json'), 'utf8')) as FixtureManifest;
}

/** A copy of the fixture's data directory in a new temp dir (the committed one is never written). */
export function copyFixtureDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-datadir-r1-'));
  fs.cpSync(path.join(DATADIR_FIXTURE, 'argus-data'), dir, { recursive: true });
  return dir;
}
