// Declarations of the GB/T 28181 device-recording endpoints (served by main/server/routes/gb28181-records.ts): ranges on the device, downloads into Argus, device playback.
import { endpoint, typed } from '../endpoint';
import {
  DeviceDownloadCreate,
  DevicePlaybackControl,
  DevicePlaybackCreate,
  DeviceRecordsQuery,
  type DeviceDownload,
  type DevicePlaybackView,
  type DeviceRecords,
} from '../gb28181-records';
import { s, type JsonSchema } from '../schema';
import { IdParams } from './params';

const obj = (description: string): JsonSchema => ({ type: 'object', description });
const PlaybackParams = s.object({
  id: s.int({ min: 1, description: 'channel id' }),
  sessionId: s.string({ minLength: 1, maxLength: 64, description: 'playback session id' }),
});
const DownloadParams = s.object({ id: s.int({ min: 1, description: 'channel id' }), downloadId: s.int({ min: 1, description: 'download id' }) });

export const getChannelsByidDeviceRecords = endpoint({
  method: 'GET',
  path: '/api/v1/channels/:id/device-records',
  auth: 'recordings.view',
  tag: 'recordings',
  summary: 'Recordings a GB/T 28181 channel keeps on its device in a window (RecordInfo), with the downloads of that window',
  description:
    'Asks the device (RecordInfo, answers collected over several MESSAGEs up to SumNum) for at most 7 days. 404 when the user may not know the channel; 400 gb.records.not_gb_channel for a channel of another kind; 503 when the device is not registered or does not answer.',
  params: IdParams,
  query: DeviceRecordsQuery,
  response: { description: 'ranges and files on the device', schema: typed<DeviceRecords>(obj('DeviceRecords')) },
});

export const postChannelsByidDeviceDownloads = endpoint({
  method: 'POST',
  path: '/api/v1/channels/:id/device-downloads',
  auth: 'recordings.view',
  tag: 'recordings',
  summary: "Download a range of the device's recordings into Argus's recordings of the channel (at most 4 h)",
  description:
    'Only the parts Argus has no recording of are fetched (INVITE s=Download); the segments are ordinary recordings of the channel (marked as from the device, protected from retention) usable in cases and exports. Audited. 409 gb.records.already_recorded when Argus holds the whole range, 409 gb.records.download_running while another download of the channel runs.',
  params: IdParams,
  body: DeviceDownloadCreate,
  response: { status: 202, description: 'the download, running', schema: typed<DeviceDownload>(obj('DeviceDownload')) },
});

export const getChannelsByidDeviceDownloadsBydownloadId = endpoint({
  method: 'GET',
  path: '/api/v1/channels/:id/device-downloads/:downloadId',
  auth: 'recordings.view',
  tag: 'recordings',
  summary: 'A download from the device: state, media time written, segments',
  params: DownloadParams,
  response: { description: 'the download', schema: typed<DeviceDownload>(obj('DeviceDownload')) },
});

export const deleteChannelsByidDeviceDownloadsBydownloadId = endpoint({
  method: 'DELETE',
  path: '/api/v1/channels/:id/device-downloads/:downloadId',
  auth: 'recordings.view',
  tag: 'recordings',
  summary: 'Cancel a running download (BYE to the device; nothing of it is kept)',
  params: DownloadParams,
  response: { status: 204, description: 'cancelled' },
});

export const postChannelsByidDevicePlayback = endpoint({
  method: 'POST',
  path: '/api/v1/channels/:id/device-playback',
  auth: 'recordings.view',
  tag: 'recordings',
  summary: "Play a range of the device's recordings from the device (INVITE s=Playback); controlled by MANSRTSP",
  params: IdParams,
  body: DevicePlaybackCreate,
  response: { status: 201, description: 'the playback session', schema: typed<DevicePlaybackView>(obj('DevicePlaybackView')) },
});

export const postChannelsByidDevicePlaybackBysessionIdControl = endpoint({
  method: 'POST',
  path: '/api/v1/channels/:id/device-playback/:sessionId/control',
  auth: 'recordings.view',
  tag: 'recordings',
  summary: 'Pause, resume, seek (offsetS from the range start) or change the speed (scale) of a device playback',
  params: PlaybackParams,
  body: DevicePlaybackControl,
  response: { description: 'the playback session after the command', schema: typed<DevicePlaybackView>(obj('DevicePlaybackView')) },
});

export const deleteChannelsByidDevicePlaybackBysessionId = endpoint({
  method: 'DELETE',
  path: '/api/v1/channels/:id/device-playback/:sessionId',
  auth: 'recordings.view',
  tag: 'recordings',
  summary: 'End a device playback (BYE)',
  params: PlaybackParams,
  response: { status: 204, description: 'ended' },
});
