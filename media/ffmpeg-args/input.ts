// ffmpeg arguments shared by every stream-copy process (recording, relay): input options by input kind and the missing-PTS filter.
import { Readable } from 'node:stream';
import { assertNever } from '../../common/events';
import { demuxerOf, type PipeFormat, type StreamInput } from '../stream-source';

function scheme(url: string): string {
  return (/^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1] ?? '').toLowerCase();
}

/** Input options by input kind: RTSP transport and socket timeout only for rtsp(s); rw_timeout for rtmp (-timeout would mean "listen" there). */
export function inputOptions(url: string, transport: 'tcp' | 'udp', ioTimeoutS: number): string[] {
  const us = String(Math.round(ioTimeoutS * 1_000_000));
  const kind = scheme(url);
  const opts: string[] = [];
  if (kind === 'rtsp' || kind === 'rtsps') opts.push('-rtsp_transport', transport, '-timeout', us);
  else if (kind === 'rtmp' || kind === 'rtmps') opts.push('-rw_timeout', us);
  opts.push('-analyzeduration', '2000000', '-fflags', '+genpts+discardcorrupt');
  return opts;
}

/** The input part of a process's arguments: what `-i` reads, its options, the bytes for fd 3 and the secrets to redact. */
export interface InputArgs {
  input: string;
  inputOptions: string[];
  inputBytes?: Readable;
  secrets: readonly string[];
}

/**
 * Input arguments of a stream source's input. A URL exactly as before (RTSP options only for rtsp:, -rw_timeout for the
 * hub). A pipe: `-f <demuxer> -i pipe:3`, the bytes written into fd 3. Containers keep the sender's timestamps; raw
 * H.264/H.265 have none and are timed by their frame rate (the SPS's, else 25 fps) with `+genpts`, not by the server
 * clock: the demuxer stamps every frame that arrived in one read with the same wall-clock time, which leaves frames with
 * equal decode times in the segment. `wallclock` (the recorder's answer to timestamps that do not advance) stamps with the
 * server clock whatever the input.
 */
export function streamInputArgs(src: StreamInput, ioTimeoutS: number, wallclock = false): InputArgs {
  const clock = wallclock ? ['-use_wallclock_as_timestamps', '1'] : [];
  switch (src.kind) {
    case 'url':
      if (hasCredentials(src.url)) return credentialedUrlArgs(src.url, src.rtspTransport ?? 'tcp', ioTimeoutS, clock, src.secrets);
      return { input: src.url, inputOptions: [...inputOptions(src.url, src.rtspTransport ?? 'tcp', ioTimeoutS), ...clock], secrets: src.secrets };
    case 'pipe':
      return {
        input: 'pipe:3',
        inputOptions: [...pipeProbeOptions(src.format), '-fflags', '+genpts+discardcorrupt', ...clock, '-f', demuxerOf(src.format)],
        inputBytes: src.bytes,
        secrets: [],
      };
    default:
      return assertNever(src);
  }
}

/**
 * Probe length of a pipe input. MPEG-PS (GB/T 28181 media) is probed for 0.5 s only: its `mpeg` demuxer announces streams
 * as it meets them, so ffmpeg reads the whole analyze duration before the first packet goes out, and 2 s of probing were
 * most of the invite-to-first-frame time. Half a second of PS carries the PSM and several audio packets (G.711 every
 * 20–40 ms, AAC a frame every 21–128 ms), so audio is still found; the probe size (2 MB, eight times half a second of an 8 Mbit/s
 * stream, room for a keyframe and a burst of cached GOP) never cuts the probe shorter than the duration.
 */
export function pipeProbeOptions(format: PipeFormat): string[] {
  if (format === 'mpeg-ps') return ['-analyzeduration', '500000', '-probesize', '2000000'];
  return ['-analyzeduration', '2000000'];
}

/**
 * Video bitstream filter for every stream-copy output. Over RTSP, the first frame of a source with B-frames reaches the
 * muxer without a presentation time (ffmpeg's H.264/H.265 parser cannot place it before it has seen the reordering), and
 * MPEG-TS and FLV refuse a first packet without one ("first pts and dts value must be set"). Such a packet gets its
 * decode time as presentation time: the timestamps are unchanged for every packet that had them.
 */
export const FILL_MISSING_PTS_BSF = 'setts=pts=if(eq(PTS\\,NOPTS)\\,DTS\\,PTS)';

/** True when a URL carries a user name or password (which must never reach a command line, where any local user reads it). */
export function hasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(url);
  }
}

/** Protocols the concat input may open: the script's pipe and the camera protocols (not file: the script names no local file). */
const CONCAT_PROTOCOLS = 'pipe,rtsp,rtsps,rtp,srtp,tcp,udp,tls,crypto,rtmp,rtmps,http,https,httpproxy';

/**
 * A URL with credentials, handed over without a command line: a one-entry ffconcat script written into fd 3
 * (`-f concat -i pipe:3`; Node's extra stdio is a socket, which /dev/fd/3 cannot open; as for every pipe input, the
 * launcher then stops ffmpeg with one SIGTERM instead of 'q'), so `ps` and /proc/<pid>/cmdline show only `pipe:3`; the script lives in the pipe (never on
 * disk) and fd 3 of the process is readable by its own user only. The input's own options (RTSP transport, socket
 * timeout, probe length) go into the script's `option` lines: they apply to the camera's demuxer, not to concat.
 * Timestamps: concat passes the camera's packets on, shifted so that the stream starts at 0 (as the ffmpeg command
 * line does by default without -copyts), so segments and relays are timed as before.
 */
function credentialedUrlArgs(url: string, transport: 'tcp' | 'udp', ioTimeoutS: number, clock: string[], secrets: readonly string[]): InputArgs {
  const own = inputOptions(url, transport, ioTimeoutS).filter((o) => o !== '-fflags' && o !== '+genpts+discardcorrupt');
  const lines = ['ffconcat version 1.0', `file '${url.replace(/'/g, "'\\''")}'`];
  for (let i = 0; i + 1 < own.length; i += 2) lines.push(`option ${own[i]!.slice(1)} ${own[i + 1]!}`);
  const script = lines.join('\n') + '\n';
  const u = new URL(url);
  const fromUrl = [decodeURIComponent(u.password), u.password, `${u.username}:${u.password}`].filter((x) => x !== '' && x !== ':');
  return {
    input: 'pipe:3',
    inputOptions: [
      '-f',
      'concat',
      '-safe',
      '0',
      '-protocol_whitelist',
      CONCAT_PROTOCOLS,
      '-analyzeduration',
      '2000000',
      '-fflags',
      '+genpts+discardcorrupt',
      ...clock,
    ],
    inputBytes: Readable.from([Buffer.from(script, 'utf8')]),
    secrets: [...new Set([...secrets, ...fromUrl])],
  };
}
