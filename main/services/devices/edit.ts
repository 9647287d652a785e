// Edits of devices and channels: create (atomic), change, move, delete, rotate a key, place; recording follows as for /cameras and /units; each audited.
import { createHash, randomBytes } from 'node:crypto';
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import { DEFAULT_RETENTION_DAYS } from '../../../common/api';
import type { AgentDeviceCreate, AgentKey, ChannelView, DeviceUpdate, DeviceView, RecordMode } from '../../../common/devices';
import { StorageError } from '../../../storage/repositories';
import type { ChannelPatch, ChannelPlace, ChannelRow, DevicePatch, DeviceRow, NewChannel, NewRtspChannel } from '../../../storage/repos/devices';
import type { Actor } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import type { DeviceService } from './service';

/** Recording policy and description of a channel as a create body gives them. */
export interface ChannelSettings {
  enabled?: boolean;
  description?: string | null;
  recordMode?: RecordMode;
  preAlarmS?: number;
  postAlarmS?: number;
  segmentSeconds?: number;
  retentionDays?: number;
}

/** A new channel of an rtsp device, its credentials already split off the URLs (main/server/camera-input.ts). */
export interface RtspChannelInput extends ChannelSettings {
  name: string;
  stream: NewRtspChannel;
}

/** A channel change: its own fields and, for rtsp/onvif channels, stream fields. */
export type ChannelChange = ChannelPatch & { stream?: Partial<NewRtspChannel> };

/** A new stream key: 24 random bytes, base64url (32 characters); only its SHA-256 is stored. */
function newStreamKey(): string {
  return randomBytes(24).toString('base64url');
}
const sha256 = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** A channel's stream settings for the audit trail: never the password. */
function streamAudit(s: Partial<NewRtspChannel> | null | undefined): Record<string, unknown> | null {
  if (!s) return null;
  const { password, ...rest } = s;
  return password === undefined ? rest : { ...rest, hasPassword: !!password };
}

function diff<T extends object>(before: T, after: T, keys: ReadonlyArray<keyof T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k as string] = { from: before[k], to: after[k] };
  return out;
}

export class DeviceEditor {
  constructor(private readonly svc: DeviceService) {}

  private get repos() {
    return this.svc.deps.repos;
  }

  private async audit(actor: Actor, action: string, targetType: 'device' | 'channel', id: number, detail: unknown): Promise<void> {
    await this.svc.deps.audit.record({ actor, action, targetType, targetId: id, detail, ip: actor.kind === 'user' ? actor.ip : null });
  }

  private checkNode(nodeId: number): void {
    if (!this.svc.tree.node(nodeId)) throw DomainError.notFound(msg('org.node_not_found', { id: nodeId }));
  }

  /** Channel names are unique across Argus (invariant 12; camera names and callsigns shared one namespace). */
  private async checkNameFree(field: string, name: string, exceptChannelId?: number): Promise<void> {
    const other = await this.repos.channels.getByName(name);
    if (other && other.id !== exceptChannelId) throw DomainError.conflict(field, msg('device.name_taken', { name }));
  }

  private async checkCallsignFree(callsign: string, exceptDeviceId?: number): Promise<void> {
    const other = await this.repos.devices.getByCallsign(callsign);
    if (other && other.id !== exceptDeviceId) throw DomainError.conflict('callsign', msg('device.callsign_taken', { callsign }));
  }

  /** Storage conflicts that raced past the checks. */
  private conflict(e: unknown, field: string, name: string): unknown {
    if (e instanceof StorageError && e.code === 'conflict') {
      if (e.field === 'callsign') return DomainError.conflict(field, msg('device.callsign_taken', { callsign: name }));
      return DomainError.conflict(field, msg('device.name_taken', { name }));
    }
    if (e instanceof StorageError && e.code === 'not_found' && e.field === 'nodeId') return DomainError.notFound(msg('org.node_not_found', { id: 0 }));
    return e;
  }

  private channelDefaults(s: ChannelSettings): Omit<NewChannel, 'name'> {
    return {
      enabled: s.enabled ?? true,
      description: s.description ?? null,
      recordMode: s.recordMode ?? 'continuous',
      preAlarmS: s.preAlarmS,
      postAlarmS: s.postAlarmS,
      segmentSeconds: s.segmentSeconds ?? this.svc.deps.segmentSeconds,
      retentionDays: s.retentionDays ?? DEFAULT_RETENTION_DAYS,
    };
  }

  /**
   * Brings recorders and the publish check in line with the stored rows, through the same control paths as the old
   * /cameras and /units routes; a failure shows in the status, the saved change stands.
   */
  private async applyControl(d: DeviceRow, channelIds: readonly number[], opts: { keyRotated?: boolean } = {}): Promise<void> {
    try {
      if (d.kind === 'agent') {
        const u = await this.repos.units.get(d.id);
        if (u) await this.svc.deps.units.changed(u, opts);
        await this.svc.deps.recording.applyUnit?.(d.id);
        return;
      }
      for (const id of channelIds) {
        const row = await this.repos.cameras.get(id);
        if (row) await this.svc.deps.recording.apply(row);
      }
    } catch (err) {
      this.svc.log(`applying device ${d.id} failed: ${(err as Error).stack ?? String(err)}`);
    }
  }

  private async agentKey(deviceId: number, key: string): Promise<AgentKey> {
    const device = await this.svc.device(deviceId, true);
    return { device, streamKey: key, publishUrl: this.svc.deps.units.publishUrl(deviceId, key) };
  }

  /** An rtsp device with its channels: device, channels, stream rows and the id counter in one transaction (all or nothing). */
  async createRtsp(input: { nodeId: number; name: string; channels: RtspChannelInput[] }, actor: Actor): Promise<DeviceView> {
    return this.svc.serial(async () => {
      this.checkNode(input.nodeId);
      if (input.channels.length === 0) throw DomainError.field('channels', msg('device.no_channels'));
      const seen = new Set<string>();
      for (const [i, c] of input.channels.entries()) {
        if (seen.has(c.name)) throw DomainError.conflict(`channels.${i}.name`, msg('device.name_taken', { name: c.name }));
        seen.add(c.name);
        await this.checkNameFree(`channels.${i}.name`, c.name);
      }
      const created = await this.repos.devices
        .createWithChannels(
          {
            device: { nodeId: input.nodeId, kind: 'rtsp', name: input.name },
            channels: input.channels.map((c) => ({ name: c.name, ...this.channelDefaults(c), rtsp: c.stream })),
          },
          this.svc.now(),
        )
        .catch((e: unknown) => Promise.reject(this.conflict(e, 'channels', input.channels[0]!.name)));
      const d = created.device;
      await this.audit(actor, 'device.create', 'device', d.id, {
        name: d.name,
        kind: d.kind,
        nodeId: d.nodeId,
        channels: created.channels.map((c, i) => ({ id: c.id, name: c.name, ...streamAudit(input.channels[i]!.stream) })),
      });
      await this.applyControl(
        d,
        created.channels.map((c) => c.id),
      );
      return (await this.svc.deviceChanged(d.id, true))!;
    });
  }

  /** An agent device (a unit: callsign, type, officer, plate) with its one channel; the answer shows the stream key, this once. */
  async createAgent(input: AgentDeviceCreate, actor: Actor): Promise<AgentKey> {
    const key = newStreamKey();
    const id = await this.svc.serial(async () => {
      this.checkNode(input.nodeId);
      await this.checkCallsignFree(input.callsign);
      await this.checkNameFree('callsign', input.callsign);
      const mobile = { callsign: input.callsign, type: input.type, officer: input.officer ?? null, plate: input.plate ?? null };
      const created = await this.repos.devices
        .createWithChannels(
          {
            device: { nodeId: input.nodeId, kind: 'agent', name: input.callsign, enabled: input.enabled ?? true, mobile },
            channels: [{ name: input.callsign, ...this.channelDefaults({ ...input, enabled: true }) }],
            agent: { streamKeyHash: sha256(key) },
          },
          this.svc.now(),
        )
        .catch((e: unknown) => Promise.reject(this.conflict(e, 'callsign', input.callsign)));
      const d = created.device;
      const ch = created.channels[0]!;
      await this.audit(actor, 'device.create', 'device', d.id, {
        name: d.name,
        kind: d.kind,
        nodeId: d.nodeId,
        callsign: mobile.callsign,
        type: mobile.type,
        officer: mobile.officer,
        plate: mobile.plate,
        enabled: d.enabled,
        channels: [{ id: ch.id, name: ch.name, segmentSeconds: ch.segmentSeconds, retentionDays: ch.retentionDays }],
      });
      await this.applyControl(d, [ch.id]);
      await this.svc.deviceChanged(d.id, true);
      return d.id;
    });
    return this.agentKey(id, key);
  }

  /** Changes a device: name, node (a move takes its channels along), enabled, mobile identity. */
  async update(id: number, body: DeviceUpdate, actor: Actor): Promise<DeviceView> {
    return this.svc.serial(async () => {
      const before = await this.svc.deviceRow(id);
      if (body.nodeId !== undefined) this.checkNode(body.nodeId);
      const mobileFields = (['callsign', 'type', 'officer', 'plate'] as const).filter((k) => body[k] !== undefined);
      if (mobileFields.length > 0 && !before.mobile) throw DomainError.field(mobileFields[0]!, msg('device.not_mobile', { id }));
      const patch: DevicePatch = {};
      if (body.name !== undefined) patch.name = body.name;
      if (body.nodeId !== undefined) patch.nodeId = body.nodeId;
      if (body.enabled !== undefined) patch.enabled = body.enabled;
      const channels = await this.repos.channels.listByDevice(id);
      const renamed = body.callsign !== undefined && body.callsign !== before.mobile?.callsign;
      if (renamed) {
        await this.checkCallsignFree(body.callsign!, id);
        // An agent's callsign is also its device's and its channel's name (what the wall and the old /units show).
        if (before.kind === 'agent') {
          await this.checkNameFree('callsign', body.callsign!, channels[0]?.id);
          patch.name = body.callsign;
          patch.firstChannelName = body.callsign; // device and channel renamed in one transaction
        }
        patch.callsign = body.callsign;
      }
      if (body.type !== undefined) patch.mobileType = body.type;
      if (body.officer !== undefined) patch.officer = body.officer;
      if (body.plate !== undefined) patch.plate = body.plate;
      const after = await this.repos.devices
        .update(id, patch, this.svc.now())
        .catch((e: unknown) => Promise.reject(this.conflict(e, 'callsign', body.callsign ?? '')));
      if (!after) throw DomainError.notFound(msg('device.not_found', { id }));
      const moved = before.nodeId !== after.nodeId;
      if (moved) await this.audit(actor, 'device.move', 'device', id, { name: after.name, from: before.nodeId, to: after.nodeId });
      const changes = diff(before, after, ['name', 'enabled', 'mobile']);
      if (Object.keys(changes).length > 0) await this.audit(actor, 'device.update', 'device', id, { name: after.name, changes });
      if (before.enabled !== after.enabled || renamed)
        await this.applyControl(
          after,
          channels.map((c) => c.id),
        );
      return (await this.svc.deviceChanged(id, moved))!;
    });
  }

  /** Deletes a device and its channels' configuration; recorders stop first (last segment closed), recordings stay (invariant 6). */
  async delete(id: number, actor: Actor): Promise<void> {
    await this.svc.serial(async () => {
      const d = await this.svc.deviceRow(id);
      const channels = await this.repos.channels.listByDevice(id);
      if (d.kind === 'agent') await this.svc.deps.units.removed(id);
      else for (const c of channels) await this.svc.deps.recording.remove(c.id);
      if (!(await this.repos.devices.delete(id))) throw DomainError.notFound(msg('device.not_found', { id }));
      await this.audit(actor, 'device.delete', 'device', id, {
        name: d.name,
        kind: d.kind,
        nodeId: d.nodeId,
        callsign: d.mobile?.callsign ?? null,
        channels: channels.map((c) => ({ id: c.id, name: c.name })),
      });
      this.svc.deviceDeleted(
        d,
        channels.map((c) => c.id),
      );
    });
  }

  /** A new stream key for an agent device (shown this once); the old key stops working and a running publish is closed. */
  async rotateKey(id: number, actor: Actor): Promise<AgentKey> {
    const key = newStreamKey();
    await this.svc.serial(async () => {
      const d = await this.svc.deviceRow(id);
      if (d.kind !== 'agent') throw new DomainError(ErrorKind.BadRequest, msg('device.not_agent', { id }));
      if (!(await this.repos.agents.setKey(id, sha256(key), this.svc.now()))) throw DomainError.notFound(msg('device.not_found', { id }));
      await this.audit(actor, 'device.rotate_key', 'device', id, { name: d.name, callsign: d.mobile?.callsign ?? null });
      await this.applyControl(d, [], { keyRotated: true });
      await this.svc.deviceChanged(id, false);
    });
    return this.agentKey(id, key);
  }

  /** Adds a channel to an rtsp device (channels of other kinds come from their protocol). */
  async addChannel(deviceId: number, input: RtspChannelInput, actor: Actor): Promise<ChannelView> {
    const id = await this.svc.serial(async () => {
      const d = await this.svc.deviceRow(deviceId);
      if (d.kind !== 'rtsp') throw new DomainError(ErrorKind.BadRequest, msg('device.not_rtsp', { id: deviceId }));
      await this.checkNameFree('name', input.name);
      const c = await this.repos.channels
        .create(deviceId, { name: input.name, ...this.channelDefaults(input), rtsp: input.stream }, this.svc.now())
        .catch((e: unknown) => Promise.reject(this.conflict(e, 'name', input.name)));
      await this.audit(actor, 'channel.create', 'channel', c.id, { name: c.name, deviceId, ordinal: c.ordinal, ...streamAudit(input.stream) });
      await this.applyControl(d, [c.id]);
      await this.svc.deviceChanged(deviceId, true);
      return c.id;
    });
    return this.svc.channelView(id, true);
  }

  /** Changes a channel: name, enabled, recording policy, retention, segment length, stream settings (rtsp/onvif). */
  async updateChannel(id: number, change: ChannelChange, actor: Actor): Promise<ChannelView> {
    await this.svc.serial(async () => {
      const before = await this.svc.channelRow(id);
      const d = await this.svc.deviceRow(before.deviceId);
      const { stream, ...patch } = change;
      const streamKeys = stream ? (Object.keys(stream) as Array<keyof NewRtspChannel>).filter((k) => stream[k] !== undefined) : [];
      const rtspBefore = await this.repos.rtsp.get(id);
      if (streamKeys.length > 0 && !rtspBefore) throw DomainError.field(streamKeys[0]!, msg('channel.not_rtsp', { id }));
      if (patch.name !== undefined && patch.name !== before.name) await this.checkNameFree('name', patch.name, id);
      const after = await this.repos.channels
        .update(id, patch, this.svc.now())
        .catch((e: unknown) => Promise.reject(this.conflict(e, 'name', patch.name ?? '')));
      if (!after) throw DomainError.notFound(msg('channel.not_found', { id }));
      const rtspAfter = streamKeys.length > 0 ? await this.repos.rtsp.update(id, stream!) : rtspBefore;
      const changes = diff(before, after, ['name', 'enabled', 'recordMode', 'preAlarmS', 'postAlarmS', 'segmentSeconds', 'retentionDays', 'description']);
      if (rtspBefore && rtspAfter) {
        Object.assign(changes, diff(rtspBefore, rtspAfter, ['url', 'subUrl', 'username', 'transport']));
        if (rtspBefore.password !== rtspAfter.password) changes.password = !rtspBefore.password ? 'set' : !rtspAfter.password ? 'cleared' : 'changed';
      }
      if (Object.keys(changes).length > 0) await this.audit(actor, 'channel.update', 'channel', id, { name: after.name, deviceId: d.id, changes });
      await this.applyControl(d, [id]);
      await this.svc.deviceChanged(d.id, false);
    });
    return this.svc.channelView(id, true);
  }

  /** Deletes a channel's configuration (its recorder stops first; recordings stay). An agent's one channel goes only with its device. */
  async deleteChannel(id: number, actor: Actor): Promise<void> {
    await this.svc.serial(async () => {
      const c = await this.svc.channelRow(id);
      const d = await this.svc.deviceRow(c.deviceId);
      if (d.kind === 'agent') throw new DomainError(ErrorKind.BadRequest, msg('channel.agent_single'));
      await this.svc.deps.recording.remove(id);
      if (!(await this.repos.channels.delete(id))) throw DomainError.notFound(msg('channel.not_found', { id }));
      await this.audit(actor, 'channel.delete', 'channel', id, { name: c.name, deviceId: d.id, ordinal: c.ordinal });
      this.svc.channelDeleted(c, d.kind);
      await this.svc.deviceChanged(d.id, true);
    });
  }

  /** Places a fixed channel on the map (or, with null, removes it); a mobile device's channels are drawn at the device. */
  async place(id: number, place: ChannelPlace | null, actor: Actor): Promise<ChannelView> {
    await this.svc.serial(async () => {
      const c: ChannelRow = await this.svc.channelRow(id);
      const d = await this.svc.deviceRow(c.deviceId);
      if (d.mobile) throw new DomainError(ErrorKind.BadRequest, msg('channel.mobile_place', { id }));
      if (!(await this.repos.channels.setPlace(id, place, this.svc.now()))) throw DomainError.notFound(msg('channel.not_found', { id }));
      const action = place ? 'channel.place' : 'channel.unplace';
      await this.audit(actor, action, 'channel', id, { name: c.name, from: c.place, to: place });
      await this.svc.deviceChanged(d.id, false);
    });
    return this.svc.channelView(id, true);
  }
}
