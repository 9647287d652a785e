// Repository interface for downloads of GB/T 28181 device recordings and the segments they wrote; SQLite implementation: storage/sqlite/gb-records.ts.

export type GbDownloadState = 'running' | 'done' | 'failed' | 'cancelled';

export interface GbDownloadRow {
  id: number;
  channelId: number;
  deviceGbId: string;
  channelGbId: string;
  startMs: number;
  endMs: number;
  state: GbDownloadState;
  userId: number | null;
  username: string | null;
  createdMs: number;
  finishedMs: number | null;
  /** Media time written into segments so far (ms). */
  receivedMs: number;
  /** Registered message code of a failure. */
  errorCode: string | null;
}

export type NewGbDownload = Pick<GbDownloadRow, 'channelId' | 'deviceGbId' | 'channelGbId' | 'startMs' | 'endMs' | 'userId' | 'username'>;

export interface GbRecordsRepo {
  /** A new download in state 'running'. */
  create(d: NewGbDownload, nowMs: number): Promise<GbDownloadRow>;
  get(id: number): Promise<GbDownloadRow | null>;
  /** Downloads of a channel overlapping [startMs, endMs), oldest first. */
  listForChannel(channelId: number, startMs: number, endMs: number): Promise<GbDownloadRow[]>;
  /** Adds written media time (ms). */
  addReceived(id: number, ms: number): Promise<void>;
  /** Ends a running download (no change when it already ended). */
  finish(id: number, state: Exclude<GbDownloadState, 'running'>, errorCode: string | null, nowMs: number): Promise<void>;
  /** Marks a segment as written by the download (from the device). */
  addSegment(downloadId: number, segmentId: number): Promise<void>;
  /** The ids of the segments a download wrote, in id order. */
  segmentIds(downloadId: number): Promise<number[]>;
  /** Which of these segments came from a device. */
  fromDevice(segmentIds: readonly number[]): Promise<Set<number>>;
  /** Downloads left 'running' by a stopped server become 'failed' with this code; returns how many. */
  failRunning(errorCode: string, nowMs: number): Promise<number>;
}
