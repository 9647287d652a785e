// CI check: fails when a process the tests or benchmarks start (ffmpeg, gpsd, Chromium, RTSP/ONVIF simulators, Argus) outlives them.
import fs from 'node:fs';

/** Command lines of programs only the suite starts on a CI machine. */
const PATTERNS: Array<[string, RegExp]> = [
  ['ffmpeg', /(^|\/)ffmpeg(\s|$)/],
  ['ffprobe', /(^|\/)ffprobe(\s|$)/],
  ['gpsd', /(^|\/)gpsd(\s|$)/],
  ['gpsfake', /gpsfake/],
  ['chromium', /(^|\/)chromium(\s|$)/],
  ['GStreamer', /gst-launch-1\.0|rtsp_server\.py/],
  ['ONVIF simulator', /onvif-sim\//],
  ['Argus server', /main\/server\/cli\.ts/],
];

function leftovers(): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    let cmd: string;
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      continue; // exited meanwhile
    }
    const hit = PATTERNS.find(([, re]) => re.test(cmd));
    if (hit) found.push(`${pid} (${hit[0]}): ${cmd.slice(0, 200)}`);
  }
  return found;
}

// Processes stopped at the very end of a run may need a moment to exit.
let left = leftovers();
for (let i = 0; i < 10 && left.length > 0; i++) {
  await new Promise((r) => setTimeout(r, 500));
  left = leftovers();
}
if (left.length > 0) {
  console.error(`check-leftovers: ${left.length} process(es) outlived the run that started them:\n  ${left.join('\n  ')}`);
  process.exit(1);
}
console.log('check-leftovers: no test process outlived the run');
