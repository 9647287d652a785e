// Declarations of the GB/T 28181 device control endpoints for admins: remote reboot and recording on the device (served by main/server/routes/gb28181-control.ts).
import { endpoint } from '../endpoint';
import { IdParams } from './params';

export const postGb28181DevicesByidReboot = endpoint({
  method: 'POST',
  path: '/api/v1/gb28181/devices/:id/reboot',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Reboot a GB/T 28181 device remotely (DeviceControl TeleBoot); audited',
  description:
    'The id is the Argus device id (/devices/:id). The device restarts: it stops answering, then registers again. ' +
    '404 gb.not_gb_device for a device of another kind; 503 gb.not_registered when it is not registered, gb.control_failed when it refused.',
  params: IdParams,
  response: { status: 204, description: 'the device took the command' },
});

export const postGb28181ChannelsByidRecordStart = endpoint({
  method: 'POST',
  path: '/api/v1/gb28181/channels/:id/record/start',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: "Start recording on the GB/T 28181 device's own storage for this channel (DeviceControl RecordCmd Record); audited",
  description:
    "The id is the Argus channel id. This is the device's recording (shown as 'on device' ranges), not Argus's recording policy. " +
    '404 gb.not_gb_channel; 503 when the device is not registered, does not answer, or answers Result ERROR (gb.control_failed).',
  params: IdParams,
  response: { status: 204, description: 'the device answered Result OK' },
});

export const postGb28181ChannelsByidRecordStop = endpoint({
  method: 'POST',
  path: '/api/v1/gb28181/channels/:id/record/stop',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: "Stop recording on the GB/T 28181 device's own storage for this channel (DeviceControl RecordCmd StopRecord); audited",
  params: IdParams,
  response: { status: 204, description: 'the device answered Result OK' },
});
