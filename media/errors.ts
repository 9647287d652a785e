// Turns ffmpeg's log lines into an operator-readable reason for a failed camera connection.

export interface ExplainedError {
  message: string;
  /** The camera's audio codec cannot be stored in MPEG-TS as is (retry with audio conversion). */
  audioUnsupported: boolean;
  /** Retrying soon cannot help (the source sends a format this server cannot read): the recorder fails at once. */
  permanent?: boolean;
}

/**
 * Problems with what the source sends, checked before the connection rules: a stream ffmpeg cannot read or time is
 * not a closed connection. ffmpeg 5.1 reads the FourCC video tags of Enhanced RTMP (H.265, AV1, VP9 from OBS 29+ or
 * ffmpeg 6+) as FLV codec id 0 or 1 ("Video codec (1) is not implemented").
 */
const FORMAT_RULES: Array<[RegExp, string]> = [
  [/\[flv @ [^\]]*\].*Video codec \([01]\) is not implemented/i, 'Unit sends H.265 (or AV1/VP9) over Enhanced RTMP, which this server cannot record yet'],
  [/Could not find codec parameters for stream \d+ \(Video: none|Video: none|unknown codec|Video codec \(\d+\) is not implemented/i, 'Source sends a video format this server cannot read'],
];

/** Fatal muxer refusals of packets without timestamps (the warnings that precede them are not enough). */
const TIMESTAMP_RULE = /first pts and dts value must be set|Packet is missing PTS/i;

const RULES: Array<[RegExp, string]> = [
  [/401 Unauthorized|authorization failed|Unauthorized/i, 'Camera rejected the user name or password'],
  [/403 Forbidden/i, 'Camera refused access to this stream (403)'],
  [/404 Not Found|Stream not found|method DESCRIBE failed: 404/i, 'Stream path not found on the camera (check the URL path)'],
  [/Connection refused/i, 'Camera refused the connection (check address and port)'],
  [/Failed to resolve hostname|Name or service not known|Temporary failure in name resolution/i, 'Camera host name could not be resolved'],
  [/No route to host|Network is unreachable/i, 'Camera is not reachable on the network'],
  [/timed out|Connection timed out|Operation timed out/i, 'Camera did not answer in time'],
  [/No space left on device/i, 'Recording disk is full'],
  [/Permission denied/i, 'Cannot write to the recordings folder (permission denied)'],
  [/Read-only file system/i, 'Recordings folder is read-only'],
  [/End of file|Connection reset by peer|Broken pipe|Error number -\d+ occurred/i, 'Camera closed the connection'],
  [/Invalid data found when processing input/i, 'Camera sent data that is not a readable video stream'],
  [/Unsupported transport|461 Unsupported/i, 'Camera does not support this transport (try switching TCP/UDP)'],
  [/does not contain any stream|Output file #0 does not contain any stream|matches no streams/i, 'Camera sent no video'],
];

export function explainFfmpegError(error: string | null, stderrTail: string[]): ExplainedError {
  const text = [...stderrTail, error ?? ''].join('\n');
  const audioUnsupported = /codec not currently supported in container|Could not find tag for codec pcm_|codec (pcm_mulaw|pcm_alaw|adpcm)\S* not supported/i.test(text);
  if (audioUnsupported) return { message: 'Camera audio format cannot be stored as is', audioUnsupported };
  for (const [re, msg] of FORMAT_RULES) if (re.test(text)) return { message: msg, audioUnsupported: false, permanent: true };
  if (TIMESTAMP_RULE.test(text)) {
    return { message: 'Camera video has no usable timestamps (frames without a presentation time), so it cannot be recorded', audioUnsupported: false };
  }
  for (const [re, msg] of RULES) if (re.test(text)) return { message: msg, audioUnsupported: false };
  if (!error) return { message: 'Camera stream ended', audioUnsupported: false };
  // The most recent error line that says something (ffmpeg also logs bare "[error] " lines).
  const said = (l: string) => stripLogPrefix(l).length > 0;
  const last = [...stderrTail].reverse().find((l) => /error|fail|invalid/i.test(l) && said(l)) ?? (said(error) ? error : null);
  const reason = last === null ? '' : stripLogPrefix(last).replace(/^ffmpeg exited with code \d+:\s*/, '').slice(0, 200);
  return { message: reason ? `Recording stopped: ${reason}` : 'Recording stopped: ffmpeg ended without saying why', audioUnsupported: false };
}

/** "[segment @ 0x..] [error] text" → "text". */
function stripLogPrefix(line: string): string {
  return line.replace(/^(\[[^\]]*\]\s*)+/, '').trim();
}

/** Why the relay output (live view) of a recording or relay ffmpeg failed. */
export interface RelayFailure {
  /**
   * 'video': FLV cannot carry the video codec (e.g. H.265 in ffmpeg 5.1): permanent for this stream.
   * 'audio': FLV cannot carry the audio codec: relay video only.
   * 'hub': the hub refused, closed or did not answer the relay connection: transient.
   */
  kind: 'video' | 'audio' | 'hub';
  codec: string | null;
  /** For the operator, in the style of lastError. */
  message: string;
}

/**
 * Recognizes a failure of the relay output from ffmpeg's log (call only for a run that had a relay output, which is
 * rtmp://). Camera-side failures never mention rtmp:// or the flv muxer, so they are not mistaken for relay failures.
 */
export function explainRelayFailure(error: string | null, stderrTail: string[]): RelayFailure | null {
  const lines = [...stderrTail, error ?? ''];
  for (const l of lines) {
    const v = /\[flv @ [^\]]*\].*Video codec '?([\w-]+)'? not compatible with flv/i.exec(l);
    if (v) return { kind: 'video', codec: v[1], message: `Live view unavailable: ${v[1].toUpperCase()} video cannot be relayed (recording continues)` };
  }
  for (const l of lines) {
    const a = /\[flv @ [^\]]*\].*Audio codec '?([\w-]+)'? not compatible with flv/i.exec(l);
    if (a) return { kind: 'audio', codec: a[1], message: `Live view without sound: ${a[1]} audio cannot be relayed` };
  }
  // Only error lines count: the tail also holds the run's start-up lines ("Output #0, flv, to 'rtmp://...'") and
  // harmless muxer warnings.
  const errors = lines.filter((l) => /\[(error|fatal)\]/.test(l) || l === error);
  if (errors.some((l) => /Could not write header for output file #0|\[flv @ [^\]]*\] \[(error|fatal)\]/i.test(l))) {
    return { kind: 'video', codec: null, message: 'Live view unavailable: the stream cannot be relayed (recording continues)' };
  }
  if (errors.some((l) => /rtmp:\/\//i.test(l) || /av_interleaved_write_frame\(\): (Connection reset|Broken pipe)/i.test(l))) {
    return { kind: 'hub', codec: null, message: 'Live view unavailable: the media hub did not accept the stream (recording continues)' };
  }
  return null;
}
