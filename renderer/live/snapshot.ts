// Snapshot (抓图): the tile's current video frame as a PNG download named after the source and the local time.

const pad = (n: number) => String(n).padStart(2, '0');

/** "Gate_North-20251126-140307.png": the source name made file-safe, local date and time. */
export function snapshotFileName(sourceName: string, ms: number): string {
  const d = new Date(ms);
  const safe = sourceName.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '') || 'snapshot';
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  return `${safe}-${stamp}.png`;
}

/** Draws the frame at full resolution into a PNG and downloads it; false when there is no picture yet. */
export async function saveSnapshot(video: HTMLVideoElement, sourceName: string, now: number = Date.now()): Promise<boolean> {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h) return false;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return false;
  ctx.drawImage(video, 0, 0, w, h);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) return false;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = snapshotFileName(sourceName, now);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}
