// Views of devices and channels with their live statuses (DeviceView, ChannelView), and the deprecated Camera/Unit views the old events carry.
import type { Camera, CameraStatus, Unit, UnitStatus } from '../../../common/api';
import type { ChannelStatus, ChannelView, ConnectionState, DeviceStatus, DeviceView } from '../../../common/devices';
import type { CameraRow, UnitRow } from '../../../storage/repositories';
import type { ChannelRow, DeviceRow, RtspChannelRow } from '../../../storage/repos/devices';
import type { ControlLinkState } from '../device-links';

/** Where live statuses come from: the recorders (rtsp/onvif channels) and the unit service (agent devices). */
export interface StatusSources {
  recording: { status(cameraId: number): CameraStatus; liveRelaying?(channelId: number): boolean };
  units: { status(unitId: number): UnitStatus };
  /** Control links of adapters with a registration of their own (GB/T 28181): their state is the device's. */
  links?: { get(deviceId: number): ControlLinkState | null };
}

/** A channel's status: its recorder's, or for an agent's channel its unit's video link and recorder. */
export function channelStatus(src: StatusSources, device: Pick<DeviceRow, 'id' | 'kind'>, channelId: number): ChannelStatus {
  if (device.kind === 'agent') {
    const u = src.units.status(device.id);
    return {
      channelId,
      recording: u.recording,
      live: u.video.online,
      lastError: u.lastError,
      reason: u.reason,
      bitrateBps: u.bitrateBps,
      sinceMs: u.video.sinceMs,
      failures: 0,
      nextRetryMs: null,
    };
  }
  const r = src.recording.status(channelId);
  return {
    channelId,
    recording: r.state,
    live: device.kind === 'rtsp' || device.kind === 'onvif' ? r.state === 'recording' || src.recording.liveRelaying?.(channelId) === true : null,
    lastError: r.lastError,
    reason: r.reason,
    bitrateBps: r.bitrateBps,
    sinceMs: r.sinceMs,
    failures: r.failures,
    nextRetryMs: r.nextRetryMs,
  };
}

/** A device's connection state (invariant 9's vocabulary): an agent's from its links, a camera's from its channels' recorders. */
export function deviceStatus(
  src: StatusSources,
  device: Pick<DeviceRow, 'id' | 'kind' | 'enabled'>,
  channelIds: readonly number[],
  nowMs: number,
): DeviceStatus {
  if (device.kind === 'agent') {
    const u = src.units.status(device.id);
    return {
      deviceId: device.id,
      state: !device.enabled ? 'disabled' : u.online ? 'online' : 'offline',
      reason: null,
      sinceMs: u.sinceMs,
      online: u.online,
      links: { video: { online: u.video.online, sinceMs: u.video.sinceMs }, telemetry: { online: u.telemetry.online, sinceMs: u.telemetry.sinceMs } },
      remoteAddress: u.remoteAddress,
    };
  }
  const statuses = channelIds.map((id) => src.recording.status(id));
  if (device.kind === 'gb28181') {
    // Its registration and keepalives (the GB feature's control link) say whether it is online; video is its channels'.
    const link = src.links?.get(device.id) ?? null;
    const video = statuses.some((s) => s.state === 'recording') || channelIds.some((id) => src.recording.liveRelaying?.(id) === true);
    const sinceMs = link?.sinceMs ?? nowMs;
    return {
      deviceId: device.id,
      state: !device.enabled ? 'disabled' : (link?.state ?? 'offline'),
      reason: link?.reason ?? null,
      sinceMs,
      online: link?.online ?? false,
      links: { control: { online: link?.online ?? false, sinceMs }, video: { online: video, sinceMs } },
      remoteAddress: link?.remoteAddress ?? null,
    };
  }
  // A channel that is not recorded by policy but relayed live counts as online too.
  const online = statuses.some((s) => s.state === 'recording') || channelIds.some((id) => src.recording.liveRelaying?.(id) === true);
  let state: ConnectionState = 'offline';
  if (!device.enabled) state = 'disabled';
  else if (online) state = 'online';
  else if (statuses.some((s) => s.state === 'connecting')) state = 'connecting';
  else if (statuses.some((s) => s.state === 'reconnecting')) state = 'reconnecting';
  else if (statuses.length > 0 && statuses.every((s) => s.state === 'failed')) state = 'failed';
  const sinceMs = statuses.length > 0 ? Math.max(...statuses.map((s) => s.sinceMs)) : nowMs;
  return {
    deviceId: device.id,
    state,
    reason: online ? null : (statuses.find((s) => s.reason)?.reason ?? null),
    sinceMs,
    online,
    links: { video: { online, sinceMs } },
    remoteAddress: null,
  };
}

/** The API view of a channel; `stream` only when the caller may manage devices (never the password). */
export function toChannelView(row: ChannelRow, status: ChannelStatus, rtsp: RtspChannelRow | null, withStream: boolean, mobile: boolean): ChannelView {
  return {
    id: row.id,
    deviceId: row.deviceId,
    ordinal: row.ordinal,
    name: row.name,
    code: row.code,
    enabled: row.enabled,
    recordMode: row.recordMode,
    preAlarmS: row.preAlarmS,
    postAlarmS: row.postAlarmS,
    segmentSeconds: row.segmentSeconds,
    retentionDays: row.retentionDays,
    ptz: row.ptz,
    hasSub: !!rtsp?.subUrl,
    videoCodec: row.videoCodec,
    width: row.width,
    height: row.height,
    fps: row.fps,
    place: mobile ? null : row.place,
    description: row.description,
    stream:
      withStream && rtsp ? { url: rtsp.url, subUrl: rtsp.subUrl, username: rtsp.username, hasPassword: !!rtsp.password, transport: rtsp.transport } : null,
    createdMs: row.createdMs,
    updatedMs: row.updatedMs,
    status,
  };
}

export function toDeviceView(row: DeviceRow, status: DeviceStatus, channels: ChannelView[]): DeviceView {
  return {
    id: row.id,
    nodeId: row.nodeId,
    kind: row.kind,
    name: row.name,
    code: row.code,
    vendor: row.vendor,
    model: row.model,
    firmware: row.firmware,
    serial: row.serial,
    enabled: row.enabled,
    approved: row.approved,
    mobile: row.mobile,
    createdMs: row.createdMs,
    updatedMs: row.updatedMs,
    status,
    channels,
  };
}

/** The deprecated Camera view (camera.changed events and the old /cameras answers: main/server/views.ts re-exports it as toCamera). */
export function legacyCamera(row: CameraRow, status: CameraStatus): Camera {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    subUrl: row.subUrl,
    username: row.username,
    hasPassword: row.password !== null && row.password !== '',
    transport: row.transport,
    enabled: row.enabled,
    segmentSeconds: row.segmentSeconds,
    retentionDays: row.retentionDays,
    groupName: row.groupName,
    description: row.description,
    createdMs: row.createdMs,
    updatedMs: row.updatedMs,
    status,
  };
}

/** The deprecated Unit view (unit.changed events and the old /units answers: main/server/views.ts re-exports it as toUnit). */
export function legacyUnit(row: UnitRow, status: UnitStatus): Unit {
  return {
    id: row.id,
    callsign: row.callsign,
    type: row.type,
    officer: row.officer,
    enabled: row.enabled,
    groupName: row.groupName,
    segmentSeconds: row.segmentSeconds,
    retentionDays: row.retentionDays,
    keyRotatedMs: row.keyRotatedMs,
    createdMs: row.createdMs,
    updatedMs: row.updatedMs,
    status,
  };
}
