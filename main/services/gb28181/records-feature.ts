// The GB/T 28181 device-recordings feature (issue 14 item 7): the records service on the GB feature's signalling, RTP receivers of media/rtp, the server's recordings.
import { asLog } from '../../../common/log';
import { RtpReceiver } from '../../../media/rtp/receiver';
import type { Feature, FeatureContext } from '../features';
import { GbRecordService } from './records';
import type { GbSignalling } from './signalling';

/** The repositories the records feature uses. */
export type GbRecordsContext = FeatureContext<'segments' | 'gbRecords' | 'gbCatalog' | 'devices'>;

/** What routes ask of it (the service itself). */
export type GbRecordsControl = Pick<
  GbRecordService,
  'deviceRecords' | 'download' | 'getDownload' | 'cancelDownload' | 'openPlayback' | 'controlPlayback' | 'closePlayback' | 'playback'
>;

export function createGbRecordsFeature(ctx: GbRecordsContext, deps: { signalling: GbSignalling }): Feature<GbRecordsControl> {
  const log = asLog(ctx.log, 'gb28181-records');
  const service = new GbRecordService({
    signalling: deps.signalling,
    store: ctx.store,
    audit: ctx.audit,
    ffmpeg: ctx.ffmpeg,
    // Lock on the SSRC the device really sends: some devices answer (and send) another y= than offered.
    receiver: (o) => new RtpReceiver({ transport: o.transport, bindHost: o.bindHost, ssrc: null, log: log.child('rtp') }),
    recordingsDir: ctx.config.recordingsDir,
    mediaHost: deps.signalling.localHost,
    segmentSeconds: ctx.config.segmentSeconds,
    log,
    now: ctx.now,
  });
  return { control: service, mounts: [], start: () => service.start(), close: () => service.close() };
}
