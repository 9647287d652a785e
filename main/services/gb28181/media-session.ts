// One GB/T 28181 media session: an RTP receiver bound, the INVITE with its SDP offer, the answer read, media awaited; BYE and unbind on close.
import type { Log } from '../../../common/log';
import { msg } from '../../../common/messages';
import { ErrorKind } from '../../../common/errors';
import { RtpReceiver, type RtpTransport } from '../../../media/rtp/receiver';
import { DomainError } from '../../platform/errors';
import { buildOffer, inviteSubject, parseAnswer, type GbAnswer, type SsrcPool } from './sdp';
import type { GbDialog, GbSignalling } from './signalling';

export interface MediaSessionOptions {
  signalling: GbSignalling;
  ssrcs: SsrcPool;
  deviceId: string;
  channelId: string;
  transport: RtpTransport;
  session: 'Play' | 'Playback' | 'Download';
  /** u=, t= and downloadspeed of playback/download offers. */
  uri?: string;
  startS?: number;
  stopS?: number;
  downloadSpeed?: number;
  /** Address put in the offer (where the device sends media). */
  mediaHost: string;
  /** Address the receiver binds; default 0.0.0.0. */
  bindHost?: string;
  /** The first RTP packet must arrive within this (default 10 s), else the session fails (BYE). */
  firstPacketTimeoutMs?: number;
  log: Log;
  now?: () => number;
}

export interface MediaSession {
  readonly receiver: RtpReceiver;
  readonly dialog: GbDialog;
  readonly answer: GbAnswer;
  /** The SSRC offered (10 digits). */
  readonly ssrc: string;
  readonly startedMs: number;
  /** BYE (unless the device ended it), receiver closed, SSRC free. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens a session: binds the receiver first (its port goes into the offer), INVITEs, reads the answer (TCP active:
 * connects to the device's address and port), then waits for the first RTP packet. Every failure cleans up what was
 * made (BYE included) and rejects with a DomainError whose message the console words (gb.refused, gb.no_answer,
 * gb.not_registered, gb.no_media).
 */
export async function openMediaSession(o: MediaSessionOptions, signal?: AbortSignal): Promise<MediaSession> {
  const now = o.now ?? Date.now;
  const receiver = new RtpReceiver({ transport: o.transport, bindHost: o.bindHost, log: o.log, now });
  const ssrc = o.ssrcs.take(o.session === 'Play' ? 'live' : 'history');
  let dialog: GbDialog | null = null;
  const cleanup = async () => {
    await dialog?.bye();
    await receiver.close();
    o.ssrcs.release(ssrc);
  };
  try {
    const port = await receiver.start();
    const offer = buildOffer({
      serverId: o.signalling.serverId,
      host: o.mediaHost,
      port,
      transport: o.transport,
      ssrc,
      session: o.session,
      uri: o.uri,
      startS: o.startS,
      stopS: o.stopS,
      downloadSpeed: o.downloadSpeed,
    });
    dialog = await o.signalling.invite(o.deviceId, o.channelId, offer, inviteSubject(o.channelId, ssrc, o.signalling.serverId));
    if (signal?.aborted) throw new DomainError(ErrorKind.Unavailable, msg('gb.no_media', { id: o.channelId }));
    let answer: GbAnswer;
    try {
      answer = parseAnswer(dialog.answerSdp);
    } catch (err) {
      o.log.warn('unreadable SDP answer', { channelId: o.channelId, err: (err as Error).message });
      throw new DomainError(ErrorKind.Unavailable, msg('gb.bad_answer', { id: o.channelId }));
    }
    if (o.transport === 'tcp-active') {
      try {
        await receiver.connect(answer.host, answer.port);
      } catch (err) {
        o.log.warn('cannot connect to the device for TCP media', { channelId: o.channelId, host: answer.host, port: answer.port, err: (err as Error).message });
        throw new DomainError(ErrorKind.Unavailable, msg('gb.no_media', { id: o.channelId }));
      }
    }
    await firstPacket(receiver, o.firstPacketTimeoutMs ?? 10_000, signal);
    if (answer.ssrc !== null && receiver.counters().ssrc !== answer.ssrc)
      o.log.info('device sends another SSRC than it answered', { channelId: o.channelId, answered: answer.ssrc, got: receiver.counters().ssrc });
    const d = dialog;
    let closing: Promise<void> | null = null;
    return {
      receiver,
      dialog: d,
      answer,
      ssrc,
      startedMs: now(),
      close: () => (closing ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    if (err instanceof DomainError) throw err;
    o.log.warn('GB media session failed', { channelId: o.channelId, err: (err as Error).message });
    throw new DomainError(ErrorKind.Unavailable, msg('gb.no_media', { id: o.channelId }));
  }
}

function firstPacket(rx: RtpReceiver, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = () => {
      done();
      reject(new Error('no RTP packet arrived'));
    };
    const timer = setTimeout(fail, timeoutMs);
    const off = rx.onPayload(() => {
      done();
      resolve();
    });
    signal?.addEventListener('abort', fail, { once: true });
    function done() {
      clearTimeout(timer);
      off();
      signal?.removeEventListener('abort', fail);
    }
  });
}
