// ffmpeg arguments shared by every stream-copy process (recording, relay): input options by input kind and the missing-PTS filter.
import type { Readable } from 'node:stream';
import { assertNever } from '../../common/events';
import { demuxerOf, type StreamInput } from '../stream-source';

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
      return { input: src.url, inputOptions: [...inputOptions(src.url, src.rtspTransport ?? 'tcp', ioTimeoutS), ...clock], secrets: src.secrets };
    case 'pipe':
      return {
        input: 'pipe:3',
        inputOptions: ['-analyzeduration', '2000000', '-fflags', '+genpts+discardcorrupt', ...clock, '-f', demuxerOf(src.format)],
        inputBytes: src.bytes,
        secrets: [],
      };
    default:
      return assertNever(src);
  }
}

/**
 * Video bitstream filter for every stream-copy output. Over RTSP, the first frame of a source with B-frames reaches the
 * muxer without a presentation time (ffmpeg's H.264/H.265 parser cannot place it before it has seen the reordering), and
 * MPEG-TS and FLV refuse a first packet without one ("first pts and dts value must be set"). Such a packet gets its
 * decode time as presentation time: the timestamps are unchanged for every packet that had them.
 */
export const FILL_MISSING_PTS_BSF = 'setts=pts=if(eq(PTS\\,NOPTS)\\,DTS\\,PTS)';
