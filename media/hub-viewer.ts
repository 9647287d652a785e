// An FLV viewer of a hub stream: the filtered tags written to a sink, dropped when it falls too far behind or fails.
import { ViewerFilter, type StreamTracks } from './flv-tracks';
import type { Viewer, ViewerSink } from './hub';
import type { Log } from '../common/log';
import type { HubStream } from './hub-nms';

/** A viewer as the hub tracks it (to count and close them). */
export interface ViewerHandle {
  readonly streamPath: string;
  close(): void;
}

/** Subscribes a sink to a stream's FLV tags; the handle is in `viewers` while it is attached. Null when refused. */
export function attachFlvViewer(
  b: HubStream,
  streamPath: string,
  tracks: StreamTracks,
  sink: ViewerSink,
  remoteAddress: string,
  maxBufferBytes: number,
  viewers: Set<ViewerHandle>,
  log: Log,
): Viewer | null {
  const filter = new ViewerFilter(tracks, b.hasVideoHeader);
  let done = false;
  const drop = (why: string | null) => {
    if (done) return;
    done = true;
    viewers.delete(handle);
    sub.remove();
    if (why) {
      log.warn(`dropping viewer ${remoteAddress} of ${streamPath}: ${why}`, { streamPath });
      try {
        sink.destroy();
      } catch {
        /* already gone */
      }
    }
  };
  const handle: ViewerHandle = {
    streamPath,
    close: () => {
      if (done) return;
      drop(null);
      try {
        sink.end();
      } catch {
        /* already gone */
      }
    },
  };
  const sub = b.subscribe(remoteAddress, {
    send: (raw) => {
      if (done) return 0;
      const buf = filter.map(raw);
      if (!buf) return 0;
      try {
        if (sink.bufferedBytes() > maxBufferBytes) {
          drop(`more than ${maxBufferBytes} bytes unsent`);
          return 0;
        }
        sink.write(buf);
        return buf.length;
      } catch (err) {
        drop(`write failed: ${(err as Error).message}`);
        return 0;
      }
    },
    close: handle.close,
  });
  viewers.add(handle);
  const err = sub.start();
  if (err) {
    drop(err);
    return null;
  }
  return { streamPath, detach: () => drop(null) };
}
