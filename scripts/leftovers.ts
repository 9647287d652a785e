// Finds processes of the kinds only the test suite and benchmarks start (ffmpeg and its watchdog, gpsd, Chromium, simulators, slapd, SIPp, Argus): used by check-leftovers.ts.
import fs from 'node:fs';

/** Command lines of programs only the suite starts on a CI machine. */
export const LEFTOVER_PATTERNS: Array<[string, RegExp]> = [
  ['ffmpeg', /(^|\/)ffmpeg(\s|$)/],
  ['ffmpeg watchdog', /ffmpeg-supervised\.sh/],
  ['ffprobe', /(^|\/)ffprobe(\s|$)/],
  ['gpsd', /(^|\/)gpsd(\s|$)/],
  ['gpsfake', /gpsfake/],
  ['chromium', /(^|\/)chromium(\s|$)/],
  ['GStreamer', /gst-launch-1\.0|rtsp_server\.py/],
  ['ONVIF simulator', /onvif-sim\//],
  ['GB/T 28181 simulator', /gb28181-sim\//],
  ['SIPp', /(^|\/)sipp(\s|$)/],
  ['Argus server', /main\/server\/cli\.ts/],
  ['Argus agent', /agent\/cli\.ts/],
  // The tests' own directory servers (test/helpers/slapd.ts), not a system slapd that installing the package may start.
  ['slapd', /slapd .*argus-slapd-/],
];

export interface Leftover {
  pid: number;
  kind: string;
  cmdline: string;
}

/** Every running process (but this one) whose command line matches a pattern. */
export function findLeftovers(): Leftover[] {
  const found: Leftover[] = [];
  for (const name of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    let cmd: string;
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      continue; // exited meanwhile
    }
    const hit = LEFTOVER_PATTERNS.find(([, re]) => re.test(cmd));
    if (hit) found.push({ pid, kind: hit[0], cmdline: cmd.slice(0, 200) });
  }
  return found;
}
