// Wires the back end together: storage, crash recovery, media hub, units, recorders, retention and the HTTP/WebSocket server.
import fs from 'node:fs';
import path from 'node:path';
import { effectiveSettingsLine, SETTINGS, type Config } from '../config';
import { openSqliteStore } from '../../storage/sqlite/index';
import { secretsFor } from '../platform/secret-box';
import { restrictDataDir } from '../platform/data-dir-access';
import { SITE_KEY_FILE } from '../platform/site-key';
import { MbtilesReader } from '../../storage/sqlite/mbtiles';
import { createFfmpegLauncher } from '../../media/ffmpeg-launcher';
import { createMediaHub, type MediaHub } from '../../media/hub';
import type { RecorderOptions } from '../../media/recorder';
import { RecordingService } from '../services/recording';
import { UnitService } from '../services/units';
import { AuditLog } from '../services/audit-log';
import { AuditChain } from '../services/audit-chain';
import { openSiteKey } from '../platform/site-key';
import { recover, type RecoveryReport } from '../services/recovery';
import { RetentionService } from '../services/retention';
import { createApp } from './app';
import { loadTls } from './tls';
import { ensureAdmin, type AuthService, type SignInLimits } from './auth';
import type { Store } from '../../storage/repositories';
import type { ServerEvent } from '../../common/events';
import { DeviceEventService } from '../services/device-events';
import type { Feature, FeatureContext } from '../services/features';
import { createAlarmFeature } from '../services/alarms/feature';
import { alarmsExportMount } from './routes/alarms-export';
import { createGpsFeature } from '../services/gps/feature';
import { createInvestigationFeature } from '../services/investigation/feature';
import { createOnvifFeature } from '../services/onvif/feature';
import { createGbControlFeature } from '../services/gb28181/control-parts';
import { createGbFeature } from '../services/gb28181/feature';
import type { GbLiveRef } from '../services/sources';
import { createGbRecordsFeature } from '../services/gb28181/records-feature';
import { DeviceLinkBoard } from '../services/device-links';
import { createDevices, type DevicesControl } from '../services/devices/index';
import { AccessService } from '../services/access/service';
import type { OrgTreeIndex } from '../services/devices/tree';
import { isLog, type Log, type LogSink } from '../../common/log';
import { createLogger, loggerOptionsOf, type RootLog } from '../platform/logger';

export interface Backend {
  config: Config;
  store: Store;
  port: number;
  url: string;
  recording: RecordingService;
  /** The RTMP media hub (listening unless its port could not be bound: then live view and units are unavailable). */
  hub: MediaHub;
  /** Rights per organisation node and channel (grants; what routes, tickets and the event stream ask). */
  access: AccessService;
  units: UnitService;
  retention: RetentionService;
  recovery: RecoveryReport;
  /** Feature services (issues 4-7) and the device event recorder they share. */
  /** The device model: tree, statuses, views; its editors. */
  devices: DevicesControl;
  features: {
    onvif: ReturnType<typeof createOnvifFeature>;
    gb: ReturnType<typeof createGbFeature>;
    gbControl: ReturnType<typeof createGbControlFeature>;
    gbRecords: ReturnType<typeof createGbRecordsFeature>;
    gps: ReturnType<typeof createGpsFeature>;
    investigation: ReturnType<typeof createInvestigationFeature>;
    alarms: ReturnType<typeof createAlarmFeature>;
  };
  deviceEvents: DeviceEventService;
  /** Sign-in, its limits and hasher thread, and the sessions (tests count the hashes a flood caused). */
  auth: AuthService;
  close(): Promise<void>;
}

export async function startBackend(
  config: Config,
  opts: {
    /**
     * The root logger (main/platform/logger.ts; its owner closes it). A line function gets every line worded like the
     * terminal's, without time. Absent: a logger from the settings (terminal and `<dataDir>/logs/`), closed with the backend.
     */
    log?: LogSink;
    recorderOptions?: RecorderOptions;
    env?: NodeJS.ProcessEnv;
    /** Sign-in limits other than DEFAULT_LIMITS (tests that need a slower refill to be deterministic). */
    signInLimits?: Partial<SignInLimits>;
  } = {},
): Promise<Backend> {
  const given = opts.log;
  const root: Log = isLog(given) ? given : createLogger(given ? { sink: given, level: config.logLevel } : loggerOptionsOf(config));
  const ownRoot = isLog(given) ? null : (root as RootLog);
  try {
    return await start(config, opts, root, ownRoot);
  } catch (e) {
    ownRoot?.close();
    throw e;
  }
}

async function start(
  config: Config,
  opts: { recorderOptions?: RecorderOptions; env?: NodeJS.ProcessEnv; signInLimits?: Partial<SignInLimits> },
  root: Log,
  ownRoot: RootLog | null,
): Promise<Backend> {
  const log = root.child('argus');
  // Shown at the terminal only, never in the log file: the generated first admin password.
  const announce = (text: string) => ('announce' in root ? (root as RootLog).announce(text) : log(text));
  // Owner-only data (umask 0077 for the server and its ffmpeg children; looser modes already on disk narrowed).
  const narrowed = restrictDataDir({
    dataDir: config.dataDir,
    dbFile: config.dbFile,
    recordingsDir: config.recordingsDir,
    keyFiles: [
      config.secretsKeyFile,
      path.join(config.dataDir, 'onvif.key'),
      path.join(config.dataDir, SITE_KEY_FILE),
      ...(config.tlsKeyFile ? [path.resolve(config.dataDir, config.tlsKeyFile)] : []),
    ],
  });
  for (const c of narrowed.changed) log.warn(`${c.path} was readable by other users (mode ${c.from}); narrowed to ${c.to}`, { ...c });
  fs.mkdirSync(config.recordingsDir, { recursive: true });
  // The one launcher every ffmpeg and ffprobe start goes through, with the configured binaries; handed to whatever starts them.
  const ffmpeg = createFfmpegLauncher({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
  const version = ffmpeg.version();
  if (!version) throw new Error(`ffmpeg not found at "${config.ffmpegPath}" (install ffmpeg or set ffmpegPath in argus.json)`);
  log.info(version);
  log.info(effectiveSettingsLine(config)); // secrets show only as (set)
  // A bad certificate or key stops the start before anything opens (the message names the setting).
  const tls = loadTls(config);
  if (tls)
    log.info(`TLS: ${tls.certFile} (SHA-256 ${tls.fingerprint256}, SPKI sha256/${tls.spkiSha256}, valid until ${new Date(tls.validToMs).toISOString()})`);
  const store = await openSqliteStore(config.dbFile, { log: root.child('storage'), secrets: secretsFor(config) });
  try {
    // The first admin's password: from the settings (ARGUS_ADMIN_PASSWORD), unless the caller passes an environment of its own.
    const env = opts.env ?? { [SETTINGS.adminPassword.env]: config.adminPassword };
    await ensureAdmin(store, env[SETTINGS.adminPassword.env] ? root.child('auth') : announce, env);
  } catch (e) {
    await store.close(); // a refused ARGUS_ADMIN_PASSWORD stops the start: leave nothing open
    throw e;
  }

  // The audit chain: entries left unsigned by a crash are checked and signed now; then every N entries / M ms.
  const auditChain = new AuditChain({ store, key: openSiteKey(config.dataDir), log: root.child('audit') });
  await auditChain.start();
  const recovery = await recover({ store, recordingsDir: config.recordingsDir, ffmpeg, log: root.child('recovery') });
  log.info(
    `recovery: ${recovery.closedPartial} partial segments closed, ${recovery.indexedUnknown} unindexed files indexed, ` +
      `${recovery.droppedRows} rows dropped, ${recovery.orphansKilled} leftover recorders stopped`,
  );

  // The app's publish is bound after creation; the services need it first. So do the hub's callbacks.
  let publish: (ev: import('../../common/events').ServerEvent) => void = () => undefined;
  let units: UnitService | null = null;
  const hub = createMediaHub({
    port: config.rtmpPort,
    host: config.rtmpBind,
    log: root.child('hub'),
    preRollApps: ['live'],
    tls: tls ? { port: config.rtmpsPort, cert: tls.cert, key: tls.key } : undefined,
    onPrePublish: (req) => (units ? units.prePublish(req) : { allow: false, reason: 'starting' }),
    onPublish: (info) => units?.onPublish(info),
    onDonePublish: (info, reason) => units?.onDonePublish(info, reason),
  });
  // GB/T 28181 channels' sources reach the GB feature's live streams through this (the feature is made after the recorders).
  const gbLive: GbLiveRef = { current: null };
  const recording = new RecordingService({
    store,
    gb: gbLive,
    recordingsDir: config.recordingsDir,
    publish: (ev) => publish(ev),
    log: root.child('recording'),
    ffmpeg,
    recorderOptions: opts.recorderOptions,
    hub,
    onUnitRecorderStatus: (s) => units?.onRecorderStatus(s.cameraId),
  });
  units = new UnitService({
    store,
    recording,
    hub,
    audit: new AuditLog(store, Date.now),
    publish: (ev) => publish(ev),
    publicHost: config.publicHost,
    rtmpPort: config.rtmpPort,
    rtmpsPort: tls ? config.rtmpsPort : undefined,
    unitPlainRtmp: config.unitPlainRtmp,
    telemetryTimeoutMs: config.unitTelemetryTimeoutMs,
    log: root.child('units'),
  });
  await units.start();
  // Before any recorder (camera relays publish into it). Recording must not depend on it: a port conflict only
  // costs live view and units.
  try {
    await hub.start();
  } catch (err) {
    log.error(
      `the RTMP media hub cannot listen on ${config.rtmpBind}:${config.rtmpPort} (${(err as Error).message}); live view and mobile units are unavailable, recording continues`,
      { err },
    );
  }
  // ---- features (issues 4-7): built before the app (their routes and mounts), started after it listens ----
  const tapListeners = new Set<(ev: ServerEvent) => void>();
  // Rights over the device model's tree (built below: the access service reads it through this getter).
  let deviceTree: (() => OrgTreeIndex) | null = null;
  const access = new AccessService({ repo: store.access, users: store.users, tree: () => deviceTree!(), audit: new AuditLog(store, Date.now) });
  const ctx: FeatureContext = {
    config,
    store,
    log: root.child('features'),
    now: Date.now,
    publish: (ev) => publish(ev),
    onServerEvent: (l) => {
      tapListeners.add(l);
      return () => tapListeners.delete(l);
    },
    audit: new AuditLog(store, Date.now),
    deviceEvents: new DeviceEventService({ store, publish: (ev) => publish(ev), log: root.child('device-events') }),
    recording,
    units: units!,
    hub,
    ffmpeg,
    openTiles: (file) => MbtilesReader.open(file),
    access,
  };
  // A unit's telemetry link (reported by the GPS feature) is half of its online state.
  ctx.onServerEvent((ev) => units!.onServerEvent(ev));
  // The device model: tree, counts from recorder and unit statuses, the new API's service.
  // Adapters with a control link of their own (GB/T 28181 registration) report device states on this board.
  const links = new DeviceLinkBoard();
  const devices = createDevices({
    links,
    repos: store,
    recording,
    units: units!,
    audit: ctx.audit,
    publish: ctx.publish,
    segmentSeconds: config.segmentSeconds,
    log: root.child('devices'),
  });
  ctx.onServerEvent((ev) => devices.read.onServerEvent(ev));
  deviceTree = () => devices.read.tree;
  await devices.read.start();
  await access.start();
  // Each feature logs as its own component.
  const as = (component: string): FeatureContext => ({ ...ctx, log: root.child(component) });
  // GPS and GB/T 28181 first: GB device control feeds the map and gives the PTZ controller its driver for GB channels.
  const gps = createGpsFeature(as('gps'));
  const gb = createGbFeature(as('gb28181'), {
    links,
    devicesChanged: () => devices.read.reload(),
    tree: devices.read,
    // Channels a catalog made, enabled or disabled: their recorders follow at once.
    applyChannel: async (id) => {
      const row = await store.cameras.get(id);
      if (row) await recording.apply(row);
    },
  });
  const gbControl = createGbControlFeature(as('gb28181-control'), { signalling: gb.control.signalling, gps: gps.control });
  const onvif = createOnvifFeature(as('onvif'), { ptzDrivers: [gbControl.control.ptzDriver] });
  const investigation = createInvestigationFeature(as('investigation'), { places: gps.control, org: devices.read });
  const alarms = createAlarmFeature(as('alarms'), { ptz: onvif.control, evidence: investigation.control, org: devices.read, recording: recording.policy });
  gbLive.current = gb.live;
  const gbRecords = createGbRecordsFeature(as('gb28181-records'), { signalling: gb.control.signalling });
  const features: Feature<unknown>[] = [onvif, gps, investigation, alarms, gbControl, gb, gbRecords];

  const app = createApp({
    config,
    signInLimits: opts.signInLimits,
    store,
    recording,
    units,
    mediaHub: hub,
    devices,
    auditChain,
    access,
    tls,
    log: root.child('http'),
    features: {
      onvif: onvif.control,
      gps: gps.control,
      investigation: investigation.control,
      alarms: alarms.control,
      gb: gb.control,
      gbCommands: gbControl.control.admin,
      gbRecords: gbRecords.control,
      gbCascade: gb.cascade,
    },
    mounts: [...features.flatMap((f) => f.mounts), alarmsExportMount(alarms.control, ctx.audit, ctx.access)],
  });
  publish = (ev) => {
    app.hub.publish(ev);
    for (const l of tapListeners) {
      try {
        l(ev);
      } catch (err) {
        log.error(`event listener failed: ${(err as Error).message}`, { err });
      }
    }
  };
  const retention = new RetentionService(
    {
      recordingsDir: config.recordingsDir,
      maxRecordingsBytes: config.maxRecordingsBytes,
      minFreeBytes: config.minFreeBytes,
      intervalMs: config.retentionIntervalMs,
      freeCheckIntervalMs: config.freeSpaceCheckMs,
    },
    { store, publish: (ev) => publish(ev), log: root.child('retention') },
  );
  const port = await app.listen();
  const host = config.bind === '0.0.0.0' || config.bind === '::' ? '127.0.0.1' : config.bind;
  const url = `${app.scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await recording.startAll();
  for (const f of features) await f.start();
  retention.start();
  void retention.runOnce();
  log.info(`listening on ${url} (data: ${config.dataDir}, recordings: ${config.recordingsDir})`, { url });

  let closed = false;
  return {
    config,
    store,
    port,
    url,
    recording,
    hub,
    access,
    units,
    retention,
    recovery,
    devices,
    features: { onvif, gps, investigation, alarms, gb, gbControl, gbRecords },
    deviceEvents: ctx.deviceEvents,
    auth: app.auth,
    async close() {
      if (closed) return;
      closed = true;
      await retention.close();
      for (const f of [...features].reverse()) await f.close().catch((err: Error) => log.error(`feature close failed: ${err.message}`, { err }));
      await units!.close();
      await recording.close(); // every recorder closes its segment; camera relays end
      await hub.close(); // after the recorders: units and viewers are disconnected
      await app.close();
      access.close();
      await auditChain.close(); // the shutdown checkpoint signs the last entries
      await store.close();
      log.info('closed');
      ownRoot?.close();
    },
  };
}
