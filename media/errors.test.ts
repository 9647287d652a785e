// Status texts from real ffmpeg 5.1 log tails: they name the real cause and are never empty.
import { describe, expect, it } from 'vitest';
import { explainFfmpegError, explainRelayFailure } from './errors';

// Tails as ffmpeg 5.1 printed them (-loglevel level+info), captured from the sources named in each case.
const ENHANCED_RTMP_HEVC = [
  '[flv @ 0x55b19984be00] [warning] Video codec (1) is not implemented. Update your FFmpeg version to the newest one from Git. If the problem still occurs, it means that your file has a feature which has not been implemented.',
  '[flv @ 0x55b19984be00] [warning] Could not find codec parameters for stream 0 (Video: none, none): unknown codec',
  '[info]   Stream #0:0: Video: none, none, 25 fps, 25 tbr, 1k tbn',
  '[segment @ 0x55b199858ac0] [error] dimensions not set',
  '[error] Could not write header for output file #0 (incorrect codec parameters ?): Invalid argument',
  '[error] Error initializing output stream 0:0 -- ',
  '[info] Stream mapping:',
  '[error] ',
];
const FIRST_PTS = [
  '[mpegts @ 0x564067e39d00] [warning] Timestamps are unset in a packet for stream 0. This is deprecated and will stop working in the future. Fix your code to set the timestamps properly',
  '[mpegts @ 0x564067e39d00] [error] first pts and dts value must be set',
  '[error] av_interleaved_write_frame(): Invalid data found when processing input',
];

describe('explainFfmpegError', () => {
  it('names H.265 over Enhanced RTMP instead of an empty "Recording stopped: ", and marks it permanent', () => {
    const e = explainFfmpegError('ffmpeg exited with code 1: ', ENHANCED_RTMP_HEVC);
    expect(e.message).toBe('Unit sends H.265 (or AV1/VP9) over Enhanced RTMP, which this server cannot record yet');
    expect(e.permanent).toBe(true);
    expect(e.msg).toEqual({ code: 'status.enhanced_rtmp', params: {} });
  });

  it('gives every reason as a registered code with params whose English is the message', () => {
    expect(explainFfmpegError('x', ['[error] rtsp://cam: End of file']).msg).toEqual({ code: 'status.closed', params: {} });
    const other = explainFfmpegError('ffmpeg exited with code 1: boom', ['[error] something failed badly']);
    expect(other).toMatchObject({
      message: 'Recording stopped: something failed badly',
      msg: { code: 'status.stopped_detail', params: { detail: 'something failed badly' } },
    });
    const relay = explainRelayFailure(null, ["[flv @ 0x1] [error] Video codec 'hevc' not compatible with flv"]);
    expect(relay).toEqual({
      kind: 'video',
      codec: 'hevc',
      message: 'Live view unavailable: HEVC video cannot be relayed (recording continues)',
      msg: { code: 'status.relay_codec', params: { codec: 'HEVC' } },
    });
  });

  it('calls a frame without timestamps a timestamp problem, not a closed connection', () => {
    const e = explainFfmpegError('ffmpeg exited with code 1: ', FIRST_PTS);
    expect(e.message).toMatch(/timestamps/);
    expect(e.message).not.toMatch(/closed the connection/);
  });

  it('tells a closed connection from unreadable data', () => {
    expect(explainFfmpegError('x', ['[in#0] [error] rtsp://cam: End of file']).message).toBe('Camera closed the connection');
    expect(explainFfmpegError('x', ['[error] rtsp://cam: Invalid data found when processing input']).message).toBe(
      'Camera sent data that is not a readable video stream',
    );
  });

  it('never gives an empty reason', () => {
    expect(explainFfmpegError('ffmpeg exited with code 1: ', ['[error] ', '[fatal] ']).message).toBe('Recording stopped: ffmpeg ended without saying why');
    expect(explainFfmpegError('ffmpeg exited with code 1: ', ['[segment @ 0x1] [error] Something odd failed']).message).toBe(
      'Recording stopped: Something odd failed',
    );
  });
});
