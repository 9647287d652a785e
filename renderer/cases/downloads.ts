// Evidence downloads from the console: the browser's own download (streamed to disk, resumable), with progress the server pushes for it.
import { exportFilePath, exportZipPath } from '../../common/endpoints/raw';
import type { DownloadProgress } from '../../common/investigation';
import type { EventStream } from '../events';
import { withToken } from '../playback/inv-api';
import { Store } from '../state/store';

/** Downloads started from this console, by id; the server's investigation.download events fill in the bytes. */
export const downloads = new Store<Record<string, DownloadProgress>>({});

/** URL of the whole package as one ZIP. */
export function packageZipUrl(exportId: number): string {
  return exportZipPath(exportId);
}

/** URL of one file of a package (path segments percent-encoded, '/' kept). */
export function packageFileUrl(exportId: number, rel: string): string {
  return exportFilePath(exportId, rel);
}

function newId(): string {
  const a = new Uint8Array(9);
  crypto.getRandomValues(a);
  return `d${Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('')}`; // never integer-like: keys keep insertion order
}

/** Starts a browser download of `url` (saved by the browser, never held in memory here) and tracks it under a new id. */
export function startDownload(url: string, exportId: number, file: string, userId: number): string {
  const id = newId();
  downloads.update((d) => ({ ...d, [id]: { id, userId, exportId, file, sentBytes: 0, totalBytes: 0, state: 'running' } }));
  const a = document.createElement('a');
  a.href = withToken(`${url}?dl=${id}`);
  a.download = file.split('/').pop() ?? file;
  a.rel = 'noreferrer';
  document.body.appendChild(a);
  a.click();
  a.remove();
  return id;
}

/** Feeds the server's progress events into the store; returns the unsubscribe function. */
export function trackDownloads(events: EventStream): () => void {
  return events.subscribe((ev) => {
    if (ev.type !== 'investigation.download') return;
    const p = ev.download;
    if (!downloads.get()[p.id]) return; // another console of the same user
    downloads.update((d) => ({ ...d, [p.id]: p }));
  });
}

/** The newest download started here for an export (the one its row shows), or null. */
export function latestDownload(all: Record<string, DownloadProgress>, exportId: number): DownloadProgress | null {
  return (
    Object.values(all)
      .filter((d) => d.exportId === exportId)
      .pop() ?? null
  );
}
