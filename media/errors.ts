// Turns ffmpeg's log lines into an operator-readable reason for a failed camera connection: a registered code (common/messages.ts) and its English text.
import { englishOf, msg, type ServerMessage } from '../common/messages';

export interface ExplainedError {
  /** English, for logs and the status's lastError. */
  message: string;
  /** The registered code and params the console words (the status's reason). */
  msg: ServerMessage;
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
const FORMAT_RULES: Array<[RegExp, ServerMessage]> = [
  [/\[flv @ [^\]]*\].*Video codec \([01]\) is not implemented/i, msg('status.enhanced_rtmp')],
  [
    /Could not find codec parameters for stream \d+ \(Video: none|Video: none|unknown codec|Video codec \(\d+\) is not implemented/i,
    msg('status.video_format'),
  ],
];

/** Fatal muxer refusals of packets without timestamps (the warnings that precede them are not enough). */
const TIMESTAMP_RULE = /first pts and dts value must be set|Packet is missing PTS/i;

const RULES: Array<[RegExp, ServerMessage]> = [
  [/401 Unauthorized|authorization failed|Unauthorized/i, msg('status.auth_rejected')],
  [/403 Forbidden/i, msg('status.forbidden')],
  [/404 Not Found|Stream not found|method DESCRIBE failed: 404/i, msg('status.path_not_found')],
  [/Connection refused/i, msg('status.refused')],
  [/Failed to resolve hostname|Name or service not known|Temporary failure in name resolution/i, msg('status.dns')],
  [/No route to host|Network is unreachable/i, msg('status.unreachable')],
  [/timed out|Connection timed out|Operation timed out/i, msg('status.timeout')],
  [/No space left on device/i, msg('status.disk_full')],
  [/Permission denied/i, msg('status.permission')],
  [/Read-only file system/i, msg('status.read_only')],
  [/End of file|Connection reset by peer|Broken pipe|Error number -\d+ occurred/i, msg('status.closed')],
  [/Invalid data found when processing input/i, msg('status.invalid_data')],
  [/Unsupported transport|461 Unsupported/i, msg('status.transport')],
  [/does not contain any stream|Output file #0 does not contain any stream|matches no streams/i, msg('status.no_video')],
];

const explained = (m: ServerMessage, audioUnsupported = false, permanent?: boolean): ExplainedError => ({
  message: englishOf(m),
  msg: m,
  audioUnsupported,
  ...(permanent ? { permanent } : {}),
});

export function explainFfmpegError(error: string | null, stderrTail: string[]): ExplainedError {
  const text = [...stderrTail, error ?? ''].join('\n');
  const audioUnsupported =
    /codec not currently supported in container|Could not find tag for codec pcm_|codec (pcm_mulaw|pcm_alaw|adpcm)\S* not supported/i.test(text);
  if (audioUnsupported) return explained(msg('status.audio_format'), true);
  for (const [re, m] of FORMAT_RULES) if (re.test(text)) return explained(m, false, true);
  if (TIMESTAMP_RULE.test(text)) {
    return explained(msg('status.no_timestamps'));
  }
  for (const [re, m] of RULES) if (re.test(text)) return explained(m);
  if (!error) return explained(msg('status.stream_ended'));
  // The most recent error line that says something (ffmpeg also logs bare "[error] " lines).
  const said = (l: string) => stripLogPrefix(l).length > 0;
  const last = [...stderrTail].reverse().find((l) => /error|fail|invalid/i.test(l) && said(l)) ?? (said(error) ? error : null);
  const reason =
    last === null
      ? ''
      : stripLogPrefix(last)
          .replace(/^ffmpeg exited with code \d+:\s*/, '')
          .slice(0, 200);
  return explained(reason ? msg('status.stopped_detail', { detail: reason }) : msg('status.stopped_unknown'));
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
  msg: ServerMessage;
}

const relayFailure = (kind: RelayFailure['kind'], codec: string | null, m: ServerMessage): RelayFailure => ({ kind, codec, message: englishOf(m), msg: m });

/** Why a camera stopped sending video (the watchdog saw no progress). */
export const STALLED: ExplainedError = explained(msg('status.stalled'));

/**
 * Recognizes a failure of the relay output from ffmpeg's log (call only for a run that had a relay output, which is
 * rtmp://). Camera-side failures never mention rtmp:// or the flv muxer, so they are not mistaken for relay failures.
 */
export function explainRelayFailure(error: string | null, stderrTail: string[]): RelayFailure | null {
  const lines = [...stderrTail, error ?? ''];
  for (const l of lines) {
    const v = /\[flv @ [^\]]*\].*Video codec '?([\w-]+)'? not compatible with flv/i.exec(l);
    if (v) return relayFailure('video', v[1], msg('status.relay_codec', { codec: v[1].toUpperCase() }));
  }
  for (const l of lines) {
    const a = /\[flv @ [^\]]*\].*Audio codec '?([\w-]+)'? not compatible with flv/i.exec(l);
    if (a) return relayFailure('audio', a[1], msg('status.relay_audio', { codec: a[1] }));
  }
  // Only error lines count: the tail also holds the run's start-up lines ("Output #0, flv, to 'rtmp://...'") and
  // harmless muxer warnings.
  const errors = lines.filter((l) => /\[(error|fatal)\]/.test(l) || l === error);
  if (errors.some((l) => /Could not write header for output file #0|\[flv @ [^\]]*\] \[(error|fatal)\]/i.test(l))) {
    return relayFailure('video', null, msg('status.relay_failed'));
  }
  if (errors.some((l) => /rtmp:\/\//i.test(l) || /av_interleaved_write_frame\(\): (Connection reset|Broken pipe)/i.test(l))) {
    return relayFailure('hub', null, msg('status.relay_hub'));
  }
  return null;
}
