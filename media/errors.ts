// Turns ffmpeg's log lines into an operator-readable reason for a failed camera connection.

export interface ExplainedError {
  message: string;
  /** The camera's audio codec cannot be stored in MPEG-TS as is (retry with audio conversion). */
  audioUnsupported: boolean;
}

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
  [/End of file|Connection reset by peer|Broken pipe|Error number -\d+ occurred|Invalid data found when processing input/i, 'Camera closed the connection or sent unreadable data'],
  [/Unsupported transport|461 Unsupported/i, 'Camera does not support this transport (try switching TCP/UDP)'],
  [/does not contain any stream|Output file #0 does not contain any stream|matches no streams/i, 'Camera sent no video'],
];

export function explainFfmpegError(error: string | null, stderrTail: string[]): ExplainedError {
  const text = [...stderrTail, error ?? ''].join('\n');
  const audioUnsupported = /codec not currently supported in container|Could not find tag for codec pcm_|codec (pcm_mulaw|pcm_alaw|adpcm)\S* not supported/i.test(text);
  if (audioUnsupported) return { message: 'Camera audio format cannot be stored as is', audioUnsupported };
  for (const [re, msg] of RULES) if (re.test(text)) return { message: msg, audioUnsupported: false };
  if (!error) return { message: 'Camera stream ended', audioUnsupported: false };
  const last = [...stderrTail].reverse().find((l) => /error|fail|invalid/i.test(l)) ?? error;
  return { message: `Recording stopped: ${last.replace(/^\[\w+\]\s*/, '').slice(0, 200)}`, audioUnsupported: false };
}
