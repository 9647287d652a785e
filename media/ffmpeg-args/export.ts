// ffmpeg arguments of exports: concat lists, stream-copy join of segments, frame-exact re-encode with a burnt-in watermark, MP4 join.
import path from 'node:path';

/** One input file of an export piece, with optional in/out points in seconds from the file's own start. */
export interface ConcatInput {
  file: string;
  inpointS?: number;
  outpointS?: number;
}

/** The concat demuxer's list (`ffconcat version 1.0`) for `inputs`. */
export function concatListText(inputs: ConcatInput[]): string {
  const lines = ['ffconcat version 1.0'];
  for (const i of inputs) {
    lines.push(`file '${path.resolve(i.file).replace(/'/g, "'\\''")}'`);
    if (i.inpointS !== undefined && i.inpointS > 0) lines.push(`inpoint ${i.inpointS.toFixed(6)}`);
    if (i.outpointS !== undefined) lines.push(`outpoint ${i.outpointS.toFixed(6)}`);
  }
  return lines.join('\n') + '\n';
}

/** Segments (concat list `list`) joined into one MP4 by stream copy. */
export function concatCopyArgs(list: string, outFile: string): string[] {
  return [
    '-y',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    list,
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-c',
    'copy',
    '-avoid_negative_ts',
    'make_zero',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    outFile,
  ];
}

function drawtextEscape(s: string): string {
  return s.replace(/[\\':%,;[\]]/g, (c) => `\\${c}`);
}

/** The watermark filter: the label and each frame's wall-clock time (UTC), starting at wallStartMs. */
export function watermarkFilter(font: string, label: string, wallStartMs: number): string {
  const epoch = (wallStartMs / 1000).toFixed(3);
  return (
    `drawtext=fontfile='${font}':text='${drawtextEscape(label)}  %{pts\\:gmtime\\:${epoch}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S} UTC':` +
    'fontsize=h/28:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6:x=12:y=12'
  );
}

/** One contiguous piece (concat list `list`) re-encoded to H.264 MP4, cut at [offsetS, offsetS + durationS), video filters `vf`. */
export function reencodeArgs(list: string, offsetS: number, durationS: number, vf: string[], audio: boolean, outFile: string): string[] {
  return [
    '-y',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    list,
    '-ss',
    offsetS.toFixed(3),
    '-t',
    durationS.toFixed(3),
    '-map',
    '0:v:0',
    ...(audio ? ['-map', '0:a:0', '-af', 'asetpts=PTS-STARTPTS', '-c:a', 'aac', '-b:a', '64k'] : []),
    '-vf',
    vf.join(','),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '20',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    outFile,
  ];
}

/** MP4 pieces (concat list `list`) of one source joined by stream copy. */
export function joinArgs(list: string, outFile: string): string[] {
  return ['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', outFile];
}
