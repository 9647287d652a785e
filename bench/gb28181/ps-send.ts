// bench:gb28181 helper process: sends a clip as GB-style PS over RTP/UDP in real time (so the measured process only receives).
import { loadPsSourceFromClip } from '../../test/helpers/gb-ps';
import { PsRtpSender } from '../../test/helpers/gb-rtp-sender';

const [clip, audio, port, ssrc] = process.argv.slice(2);
if (!clip || !port) throw new Error('usage: ps-send.ts <clip> <alaw|mulaw|none> <port> <ssrc>');
const src = await loadPsSourceFromClip(clip, audio === 'alaw' || audio === 'mulaw' ? audio : null);
const sender = new PsRtpSender(src, { transport: 'udp', host: '127.0.0.1', port: Number(port), ssrc: Number(ssrc ?? 1) });
await sender.start();
console.log('SENDING');
process.on('SIGTERM', () => void sender.stop().then(() => process.exit(0)));
