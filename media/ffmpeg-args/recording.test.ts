// Recording ffmpeg without running it: parsing its input description (used instead of an ffprobe per segment) and the recording arguments.
import { describe, expect, it } from 'vitest';
import { parseStreamLine, type StreamInfo } from '../record-process';
import { audioNeedsTranscode, FILL_MISSING_PTS_BSF, recordArgs } from './recording';

const empty = (): StreamInfo => ({ videoCodec: null, audioCodec: null, width: null, height: null, fps: null });

describe('parseStreamLine', () => {
  it('reads codec, resolution and fps of an RTSP camera and its audio codec', () => {
    const info = empty();
    expect(parseStreamLine('[info]   Stream #0:0: Video: h264 (High), yuv420p(progressive), 1920x1080 [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 90k tbn', info)).toBe(
      true,
    );
    expect(parseStreamLine('[info]   Stream #0:1: Audio: aac (LC), 16000 Hz, mono, fltp', info)).toBe(true);
    expect(info).toEqual({ videoCodec: 'h264', audioCodec: 'aac', width: 1920, height: 1080, fps: 25 });
  });

  it('reads an RTMP (FLV) input, a fractional frame rate, H.265 and G.711', () => {
    const info = empty();
    parseStreamLine('[info]   Stream #0:0: Video: h264 (Main), yuv420p(progressive), 640x360, 800 kb/s, 29.97 fps, 29.97 tbr, 1k tbn', info);
    expect(info).toMatchObject({ videoCodec: 'h264', width: 640, height: 360, fps: 29.97 });
    const hevc = empty();
    parseStreamLine('  Stream #0:0[0x100]: Video: hevc (Main) ([36][0][0][0] / 0x0024), yuv420p(tv), 2560x1440, 15 tbr, 90k tbn', hevc);
    parseStreamLine('  Stream #0:1(und): Audio: pcm_mulaw, 8000 Hz, mono, s16, 64 kb/s', hevc);
    expect(hevc).toEqual({ videoCodec: 'hevc', audioCodec: 'pcm_mulaw', width: 2560, height: 1440, fps: 15 });
  });

  it('keeps the first video stream and ignores other lines', () => {
    const info = empty();
    parseStreamLine('Stream #0:0: Video: h264 (High), yuv420p, 1280x720, 25 fps, 25 tbr, 90k tbn', info);
    parseStreamLine('Stream #0:2: Video: mjpeg, yuvj420p, 640x480, 1 fps, 1 tbr, 90k tbn', info);
    expect(parseStreamLine("[info] Input #0, rtsp, from 'rtsp://127.0.0.1:8554/cam1':", info)).toBe(false);
    expect(parseStreamLine('[info]   Duration: N/A, start: 0.000000, bitrate: N/A', info)).toBe(false);
    expect(info).toMatchObject({ videoCodec: 'h264', width: 1280, height: 720 });
  });
});

describe('recording arguments', () => {
  const base = {
    input: { kind: 'url' as const, url: 'rtsp://10.0.0.1/s', rtspTransport: 'tcp' as const, secrets: [] },
    outDir: '/r/7',
    filePrefix: '1',
    segmentSeconds: 2,
    ioTimeoutS: 10,
  };

  it('give video packets without a presentation time their decode time, in the segments and in the relay', () => {
    const a = recordArgs({ ...base, transcodeAudio: false, relay: { url: 'rtmp://127.0.0.1:1935/cam/7?secret=x', audio: true } });
    for (const o of a.outputs) {
      const i = o.options.indexOf('-bsf:v');
      expect(o.options[i + 1]).toBe(FILL_MISSING_PTS_BSF);
    }
    expect(FILL_MISSING_PTS_BSF).toBe('setts=pts=if(eq(PTS\\,NOPTS)\\,DTS\\,PTS)');
    expect(a.outputs[1].options.join(' ')).toMatch(/-c:v copy .*-c:a copy/);
  });

  it('convert only audio MPEG-TS cannot carry playable, and never the video', () => {
    expect(['pcm_alaw', 'pcm_mulaw', 'adpcm_g726', 'pcm_s16le'].filter(audioNeedsTranscode)).toHaveLength(4);
    expect(['aac', 'mp2', 'mp3', 'ac3', 'opus'].filter(audioNeedsTranscode)).toEqual([]);
    expect(audioNeedsTranscode(null)).toBe(false);
    const a = recordArgs({ ...base, transcodeAudio: true });
    expect(a.outputs[0].options.join(' ')).toMatch(/-c:v copy .*-c:a aac -b:a 32k/);
  });
});
