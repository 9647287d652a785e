// GB/T 28181 device recordings (issue 14 item 7): API bodies and views of a channel's recordings kept on the device, downloads into Argus and device playback.
import { s, type Infer } from './schema';

export const DEVICE_RECORD_TYPES = ['all', 'time', 'alarm', 'manual'] as const;
export type DeviceRecordType = (typeof DEVICE_RECORD_TYPES)[number];

export const DeviceRecordsQuery = s.object({
  startMs: s.timeMs(),
  endMs: s.timeMs(),
  type: s.optional(s.enum(DEVICE_RECORD_TYPES, 'record type the device filters by (default all)')),
});
export type DeviceRecordsQuery = Infer<typeof DeviceRecordsQuery>;

/** A channel's recordings on its GB/T 28181 device in a window (RecordInfo), beside Argus's own. */
export interface DeviceRecords {
  channelId: number;
  startMs: number;
  endMs: number;
  /** Continuous ranges on the device (overlapping or touching files merged), in time order. */
  ranges: Array<{ startMs: number; endMs: number; types: string[] }>;
  /** The files the device listed (clipped to the window), in time order. */
  items: Array<{ startMs: number; endMs: number; type: string; name: string | null; filePath: string | null; sizeBytes: number | null }>;
  /** SumNum the device announced; fewer items than this means it answered partly (a MESSAGE was lost). */
  sumNum: number | null;
  complete: boolean;
  /** Downloads of this channel overlapping the window. */
  downloads: DeviceDownload[];
}

export const DeviceDownloadCreate = s.object({ startMs: s.timeMs(), endMs: s.timeMs() });
export type DeviceDownloadCreate = Infer<typeof DeviceDownloadCreate>;

export interface DeviceDownload {
  id: number;
  channelId: number;
  startMs: number;
  endMs: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  username: string | null;
  createdMs: number;
  finishedMs: number | null;
  /** Media time written into Argus's recordings so far (ms). */
  receivedMs: number;
  /** Registered message code of a failure (gb.records.*). */
  errorCode: string | null;
  /** Segments written (from the device). */
  segmentIds: number[];
}

export const DevicePlaybackCreate = s.object({ startMs: s.timeMs(), endMs: s.timeMs() });
export type DevicePlaybackCreate = Infer<typeof DevicePlaybackCreate>;

export const DevicePlaybackControl = s.object({
  action: s.enum(['play', 'pause', 'seek', 'scale'] as const),
  /** seek: seconds from the start of the playback range. */
  offsetS: s.optional(s.number({ min: 0, max: 86_400 })),
  /** scale: 0.25, 0.5, 1, 2, 4 or 8. */
  scale: s.optional(s.number({ min: 0.25, max: 8 })),
});
export type DevicePlaybackControl = Infer<typeof DevicePlaybackControl>;

export interface DevicePlaybackView {
  id: string;
  channelId: number;
  startMs: number;
  endMs: number;
  paused: boolean;
  scale: number;
  seekOffsetMs: number | null;
  ended: 'media-end' | 'bye' | 'closed' | null;
}
