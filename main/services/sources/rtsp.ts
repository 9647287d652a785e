// Stream source of a camera dialled by URL (kind rtsp; ONVIF fills the same columns): the stored URL with credentials put back in.
import type { StreamSource } from '../../../media/stream-source';
import type { CameraRow } from '../../../storage/repositories';

/** The input URL with credentials put back in. */
export function inputUrl(c: Pick<CameraRow, 'url' | 'username' | 'password'>): string {
  if (!c.username && !c.password) return c.url;
  const u = new URL(c.url);
  u.username = encodeURIComponent(c.username ?? '');
  u.password = encodeURIComponent(c.password ?? '');
  return u.toString();
}

/** The URL without user name and password (logs and statuses). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

/** Always available (the camera is dialled): open() hands out the URL at once; the password is listed as a secret. */
export function rtspSource(c: Pick<CameraRow, 'id' | 'url' | 'subUrl' | 'username' | 'password' | 'transport'>, stream: 'main' | 'sub'): StreamSource | null {
  const url = stream === 'main' ? c.url : c.subUrl;
  if (!url) return null;
  const full = inputUrl({ url, username: c.username, password: c.password });
  const secrets = c.password ? [c.password] : [];
  return {
    channelId: c.id,
    stream,
    describe: () => describeUrl(url),
    open: () => Promise.resolve({ kind: 'url', url: full, rtspTransport: c.transport, secrets }),
    release: () => undefined,
  };
}
