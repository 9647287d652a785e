// CI check: fails when a process the tests or benchmarks start (ffmpeg and its watchdog, gpsd, Chromium, RTSP/ONVIF simulators, Argus, the agent) outlives them.
import { findLeftovers } from './leftovers';

const show = () => findLeftovers().map((l) => `${l.pid} (${l.kind}): ${l.cmdline}`);

// Processes stopped at the very end of a run may need a moment to exit.
let left = show();
for (let i = 0; i < 10 && left.length > 0; i++) {
  await new Promise((r) => setTimeout(r, 500));
  left = show();
}
if (left.length > 0) {
  console.error(`check-leftovers: ${left.length} process(es) outlived the run that started them:\n  ${left.join('\n  ')}`);
  process.exit(1);
}
console.log('check-leftovers: no test process outlived the run');
