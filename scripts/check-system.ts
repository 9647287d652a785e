// Pre-test check: names any system program the test suite needs that is missing, with the command that installs it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const checks: Array<[string, () => boolean]> = [
  ['ffmpeg', () => spawnSync('ffmpeg', ['-version']).status === 0],
  ['ffprobe', () => spawnSync('ffprobe', ['-version']).status === 0],
  ['setpriv (util-linux)', () => spawnSync('setpriv', ['--help']).status === 0],
  [
    'GStreamer RTSP server for /usr/bin/python3',
    () => spawnSync('/usr/bin/python3', ['-c', "import gi; gi.require_version('GstRtspServer', '1.0')"]).status === 0,
  ],
  ['chromium', () => fs.existsSync('/usr/bin/chromium')],
];

const missing = checks.filter(([, ok]) => !ok()).map(([name]) => name);
if (missing.length) {
  console.error(`missing system programs: ${missing.join(', ')}\ninstall them with: sudo bash scripts/install-system-deps.sh`);
  process.exit(1);
}
