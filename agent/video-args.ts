// ffmpeg arguments of the agent's video push: the test picture, a looped file or a V4L2 device, H.264 over RTMP to the hub.
import type { FfmpegArgs } from '../media/ffmpeg-launcher';

/** What a unit pushes: the synthetic test picture, a video file (looped) or a V4L2 device. */
export interface UplinkPushSpec {
  /** 'testsrc', a file path, or a device such as /dev/video0. */
  source: string;
  /** rtmp://host:port/live/<unit>?key=... */
  url: string;
  /** Test picture size and rate (defaults 640x360 at 15 fps). */
  size?: string;
  fps?: number;
  /** H.264 bitrate, kbit/s (default 800). */
  bitrateKbps?: number;
  /** Text drawn on the test picture (the callsign). */
  label?: string;
  /** rtmps:// only: the hub's certificate is checked against this CA file (ffmpeg's tls_verify); without it the push is refused. */
  caFile?: string;
}

export function uplinkPushArgs(spec: UplinkPushSpec): FfmpegArgs {
  const fps = spec.fps ?? 15;
  let input = spec.source;
  let inputOptions: string[];
  if (spec.source === 'testsrc') {
    input = `testsrc2=size=${spec.size ?? '640x360'}:rate=${fps}`;
    inputOptions = ['-re', '-f', 'lavfi'];
  } else if (spec.source.startsWith('/dev/video')) inputOptions = ['-f', 'v4l2', '-framerate', String(fps)];
  else inputOptions = ['-re', '-stream_loop', '-1'];
  const kbps = spec.bitrateKbps ?? 800;
  return {
    input,
    inputOptions,
    outputs: [
      {
        output: spec.url,
        options: [
          ...(spec.url.startsWith('rtmps:') && spec.caFile ? ['-tls_verify', '1', '-ca_file', spec.caFile] : []),
          '-map',
          '0:v:0',
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-tune',
          'zerolatency',
          '-pix_fmt',
          'yuv420p',
          '-g',
          String(fps * 2),
          '-b:v',
          `${kbps}k`,
          '-maxrate',
          `${kbps}k`,
          '-bufsize',
          `${kbps * 2}k`,
          '-an',
          '-f',
          'flv',
        ],
      },
    ],
  };
}
