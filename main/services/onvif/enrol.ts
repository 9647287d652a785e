// Finding and adding devices: discovery (multicast and directed probes) and the one-step add (read everything, then store all-or-nothing).
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import { DEFAULT_RETENTION_DAYS } from '../../../common/api';
import type { AddDeviceRequest, DiscoverRequest, DiscoverResponse, DiscoveredDevice, OnvifDeviceView } from '../../../common/onvif';
import type { CameraRow, NewCamera } from '../../../storage/repositories';
import { StorageError } from '../../../storage/repositories';
import type { OnvifContext } from './context';
import type { OnvifAudit } from './audit';
import { OnvifClient, OnvifError, type ProfileInfo } from './client';
import type { UserActor } from '../../platform/actor';
import type { DevicePlan } from './control';
import { directedProbe, expandTarget, fromScopes, multicastProbe, serviceAddress, type ProbeHit } from './discovery';
import { conflict, fail, isOnvifFailure } from './errors';
import type { DeviceRegistry } from './registry';

type EnrolContext = Pick<OnvifContext, 'config' | 'store' | 'log' | 'now'>;

/** Strips user:password from a stream URL (credentials live in the camera's username/password). */
function cleanUrl(u: string): string {
  try {
    const url = new URL(u);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return u;
  }
}

export class DeviceEnrolment {
  constructor(
    private readonly ctx: EnrolContext,
    private readonly registry: DeviceRegistry,
    private readonly audit: OnvifAudit,
  ) {}

  private get cfg() {
    return this.ctx.config;
  }

  async discover(req: DiscoverRequest): Promise<DiscoverResponse> {
    const timeoutMs = req.timeoutMs ?? 3000;
    const warnings: string[] = [];
    const addresses: string[] = [];
    for (const t of req.targets ?? []) {
      try {
        addresses.push(...(await expandTarget(t.trim())));
      } catch (err) {
        throw fail(ErrorKind.Validation, msg('onvif.bad_target', { detail: (err as Error).message }), 'targets', (err as Error).message);
      }
    }
    if (addresses.length > 1024) throw fail(ErrorKind.Validation, msg('onvif.too_many_targets'), 'targets');
    const [mc, directed] = await Promise.all([
      req.multicast === false ? Promise.resolve({ hits: [] as ProbeHit[], warning: null }) : multicastProbe(timeoutMs),
      directedProbe([...new Set(addresses)], req.port ?? 3702, timeoutMs),
    ]);
    if (mc.warning) warnings.push(mc.warning);
    const byUrn = new Map<string, ProbeHit>();
    for (const h of [...directed, ...mc.hits]) if (!byUrn.has(h.urn)) byUrn.set(h.urn, h);
    const known = await this.ctx.store.onvif.listDevices();
    const out: DiscoveredDevice[] = [];
    for (const h of byUrn.values()) {
      const addr = serviceAddress(h);
      if (!addr) continue;
      const s = fromScopes(h.scopes);
      const added = known.find((d) => (d.host === addr.host && d.port === addr.port) || (d.urn !== null && d.urn === h.urn));
      out.push({
        urn: h.urn,
        host: addr.host,
        port: addr.port,
        xaddrs: h.xaddrs,
        manufacturer: s.manufacturer,
        model: s.model,
        firmware: null,
        serial: null,
        via: h.via,
        addedDeviceId: added?.id ?? null,
        infoError: null,
      });
    }
    if (req.username) {
      await Promise.all(
        out.map(async (d) => {
          const c = new OnvifClient(
            { host: d.host, port: d.port, username: req.username!, password: req.password ?? '' },
            Math.min(this.cfg.onvifTimeoutMs, 4000),
          );
          try {
            await c.deviceTime();
            const info = await c.deviceInfo();
            Object.assign(d, {
              manufacturer: info.manufacturer || d.manufacturer,
              model: info.model || d.model,
              firmware: info.firmware || null,
              serial: info.serial || null,
            });
          } catch (err) {
            d.infoError = (err as Error).message;
          } finally {
            c.close();
          }
        }),
      );
    }
    out.sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
    return { devices: out, warnings };
  }

  /** Phase 1: reads the device (network only, nothing stored); each video source becomes one camera. */
  async inspect(req: AddDeviceRequest): Promise<DevicePlan> {
    const port = req.port ?? 80;
    const existing = await this.ctx.store.onvif.getDeviceByAddress(req.host, port);
    if (existing) throw conflict('host', msg('onvif.device_exists', { host: req.host, port, id: existing.id }));
    await this.checkNode(req.nodeId);
    const client = new OnvifClient({ host: req.host, port, username: req.username, password: req.password }, this.cfg.onvifTimeoutMs);
    try {
      const { info } = await client.connect();
      const profiles = await client.profiles();
      if (profiles.length === 0) throw new OnvifError('unsupported', `${client.where} has no media profiles`);
      let order: string[] = [];
      try {
        order = await client.videoSourceTokens();
      } catch {
        order = [];
      }
      const groups = new Map<string, ProfileInfo[]>();
      for (const p of profiles) {
        const key = p.sourceToken ?? order[0] ?? 'default';
        groups.set(key, [...(groups.get(key) ?? []), p]);
      }
      const keys = [...order.filter((k) => groups.has(k)), ...[...groups.keys()].filter((k) => !order.includes(k))];
      const px = (p: ProfileInfo) => (p.width ?? 0) * (p.height ?? 0);
      const sources: DevicePlan['sources'] = [];
      for (const key of keys) {
        const list = [...groups.get(key)!].sort((a, b) => px(b) - px(a));
        const main = list.find((p) => p.ptz && px(p) === px(list[0])) ?? list[0];
        const sub = list.length > 1 ? list[list.length - 1] : null;
        const mainUri = await client.streamUri(main.token);
        const subUri = sub && sub.token !== main.token ? await client.streamUri(sub.token) : null;
        const snapshotUri = await client.snapshotUri(main.token);
        sources.push({
          sourceToken: key,
          mainProfile: main.token,
          subProfile: subUri ? sub!.token : null,
          mainUri,
          subUri,
          snapshotUri,
          ptz: main.ptz && !!client.cam.uri?.ptz,
          codec: main.encoding,
          width: main.width,
          height: main.height,
          fps: main.fps,
        });
      }
      return { host: req.host, port, urn: null, username: req.username, password: req.password, info, sources };
    } catch (err) {
      if (isOnvifFailure(err)) throw err;
      const e = err instanceof OnvifError ? err : new OnvifError('fault', (err as Error).message);
      switch (e.kind) {
        case 'auth':
          throw fail(ErrorKind.Validation, msg('onvif.auth_failed'), 'password', `${e.message}: check the user name and password`);
        case 'unreachable':
        case 'timeout':
          throw fail(ErrorKind.Validation, msg('onvif.unreachable', { reason: msg(`onvif.health_${e.kind}`) }), 'host', `${e.message}; check host and port`);
        case 'malformed':
        case 'unsupported':
        case 'fault':
          throw fail(ErrorKind.BadRequest, msg('onvif.add_failed', { reason: msg(`onvif.health_${e.kind}`) }), undefined, `${e.message}; nothing was added`);
      }
    } finally {
      client.close();
    }
  }

  /** A given organisation node must exist (400 on field nodeId); checked before the device is read and again when storing. */
  private async checkNode(nodeId: number | undefined): Promise<void> {
    if (nodeId !== undefined && !(await this.ctx.store.org.get(nodeId))) throw fail(ErrorKind.Validation, msg('org.node_not_found', { id: nodeId }), 'nodeId');
  }

  /** Phase 2: stores the device (under req.nodeId when given), its cameras and links in one transaction, then watches it. */
  async register(plan: DevicePlan, req: AddDeviceRequest, actor: UserActor): Promise<{ device: OnvifDeviceView; cameras: CameraRow[] }> {
    const base = req.name ?? ([plan.info.manufacturer, plan.info.model].filter(Boolean).join(' ').slice(0, 60) || `ONVIF ${plan.host}`);
    const several = plan.sources.length > 1;
    const cameras = plan.sources.map((s, i) => {
      const camera: NewCamera = {
        name: several ? `${base} ${i + 1}` : base,
        url: cleanUrl(s.mainUri),
        subUrl: s.subUri ? cleanUrl(s.subUri) : null,
        username: plan.username,
        password: plan.password || null,
        transport: 'tcp',
        enabled: req.enabled ?? true,
        segmentSeconds: this.cfg.segmentSeconds,
        retentionDays: DEFAULT_RETENTION_DAYS,
        groupName: req.groupName ?? null,
        description: `ONVIF ${plan.info.manufacturer} ${plan.info.model} at ${plan.host}:${plan.port}, video source ${s.sourceToken}`.slice(0, 1024),
      };
      return {
        camera,
        link: {
          sourceToken: s.sourceToken,
          profileToken: s.mainProfile,
          subProfileToken: s.subProfile,
          snapshotUri: s.snapshotUri,
          ptz: s.ptz,
          codec: s.codec,
          width: s.width,
          height: s.height,
          fps: s.fps,
        },
      };
    });
    await this.checkNode(req.nodeId);
    for (const c of cameras) {
      const other = await this.ctx.store.cameras.getByName(c.camera.name);
      if (other) throw conflict('name', msg('source.name_taken', { name: c.camera.name }));
    }
    let created: Awaited<ReturnType<typeof this.ctx.store.onvif.createDevice>>;
    try {
      created = await this.ctx.store.onvif.createDevice(
        {
          host: plan.host,
          port: plan.port,
          urn: plan.urn,
          username: plan.username,
          passwordEnc: this.registry.encrypt(plan.password),
          ...plan.info,
        },
        cameras,
        this.ctx.now(),
        req.nodeId,
      );
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw conflict(err.field ?? 'name', msg('storage.conflict'), err.message);
      throw err;
    }
    const rt = this.registry.add(
      created.device,
      created.cameras.map((row, i) => ({ cameraId: row.id, deviceId: created.device.id, ...cameras[i].link })),
    );
    this.ctx.log(
      `[onvif device ${created.device.id}] added ${plan.info.manufacturer} ${plan.info.model} at ${plan.host}:${plan.port}: ` +
        `cameras ${created.cameras.map((c) => c.id).join(', ')}${plan.sources.some((x) => x.ptz) ? ' (PTZ)' : ''}`,
    );
    await this.audit(actor, 'onvif.device.add', created.cameras[0]?.id ?? 0, {
      deviceId: created.device.id,
      host: plan.host,
      port: plan.port,
      manufacturer: plan.info.manufacturer,
      model: plan.info.model,
      serial: plan.info.serial,
      cameraIds: created.cameras.map((c) => c.id),
    });
    void this.registry.check(rt);
    return { device: this.registry.view(rt), cameras: created.cameras };
  }
}
