// bench:gb28181: N simulated GB/T 28181 devices registering and keeping alive, M channels streaming PS over RTP into Argus (issue 14).
// Each part lives in bench/gb28181/<part>.ts and is owned by the subsystem it measures; bench/lib/parts.ts runs them in turn and prints one RESULT line.
import { runPartsBench } from './lib/parts';
import { run as demux } from './gb28181/demux';
import { run as register } from './gb28181/register';
import { run as streams } from './gb28181/streams';

runPartsBench({
  name: 'bench:gb28181',
  parts: [
    ['register', register],
    ['streams', streams],
    ['demux', demux],
  ],
  // The RESULT keys, in the order, with their targets.
  targets: [
    ['devices', '>=', 1000],
    ['streams', '>=', 16],
    ['register_ms_p95', '<=', Infinity],
    ['invite_to_first_frame_ms_p50', '<=', 1500],
    ['cpu_pct_per_stream', '<=', 2],
    ['keepalive_cpu_pct', '<=', 5],
    ['gap_s', '==', 0],
  ],
  // The demux part measures one 1080p stream alone: its CPU figure is the "per stream" target; the streams
  // part's own per-stream figure (M streams at once) is kept under its own key.
  keyOf: (part, key) => (part === 'streams' && key === 'cpu_pct_per_stream' ? 'cpu_pct_per_stream_of_m' : key),
});
