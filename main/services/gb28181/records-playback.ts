// A playback of a device's recording (INVITE s=Playback) and its control by MANSRTSP INFO in the dialog: pause, play, seek, speed.
import type { Readable } from 'node:stream';
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import { DomainError } from '../../platform/errors';
import type { HistoryReceiver } from './records-download';
import { mansrtsp, PLAYBACK_SCALES, type PlaybackCommand } from './records-rtsp';
import { historyOfferSdp, parseHistoryAnswer, type HistoryOffer } from './records-sdp';
import type { GbDialog, GbSignalling } from './signalling';

export interface PlaybackState {
  id: string;
  channelId: number;
  startMs: number;
  endMs: number;
  paused: boolean;
  scale: number;
  /** Last seek target, ms from startMs (null before any seek). */
  seekOffsetMs: number | null;
  /** 'media-end': the device reached the end of the range (MediaStatus 121); 'bye': it hung up. */
  ended: 'media-end' | 'bye' | 'closed' | null;
}

/** One playback dialog with its receiver; control commands carry the dialog's MANSRTSP CSeq, one after the other. */
export class DevicePlayback {
  private cseq = 1;
  private queue: Promise<unknown> = Promise.resolve();
  readonly state: PlaybackState;
  private endedFns: Array<(s: PlaybackState) => void> = [];

  private constructor(
    id: string,
    channelId: number,
    startMs: number,
    endMs: number,
    private readonly dialog: GbDialog,
    private readonly receiver: HistoryReceiver,
  ) {
    this.state = { id, channelId, startMs, endMs, paused: false, scale: 1, seekOffsetMs: null, ended: null };
    dialog.onEnded((why) => {
      this.finish(why);
    });
  }

  /** Starts the playback: receiver, INVITE s=Playback, tcp-active connect. Cleans up on failure. */
  static async open(
    o: { id: string; channelId: number; deviceId: string; channelGbId: string; startMs: number; endMs: number; ssrc: string },
    env: { signalling: GbSignalling; receiver: HistoryReceiver; mediaHost: string; transport: HistoryOffer['transport'] },
  ): Promise<DevicePlayback> {
    try {
      const port = await env.receiver.start();
      const offer = historyOfferSdp({
        mode: 'Playback',
        serverId: env.signalling.serverId,
        channelId: o.channelGbId,
        host: env.mediaHost,
        port,
        transport: env.transport,
        startMs: o.startMs,
        endMs: o.endMs,
        ssrc: o.ssrc,
      });
      const dialog = await env.signalling.invite(o.deviceId, o.channelGbId, offer, `${o.channelGbId}:${o.ssrc},${env.signalling.serverId}:0`);
      const answer = parseHistoryAnswer(dialog.answerSdp);
      if (env.transport === 'tcp-active' && env.receiver.connect && answer.host !== null && answer.port !== null) {
        await env.receiver.connect(answer.host, answer.port).catch(async (e: unknown) => {
          await dialog.bye();
          throw e;
        });
      }
      return new DevicePlayback(o.id, o.channelId, o.startMs, o.endMs, dialog, env.receiver);
    } catch (e) {
      await env.receiver.close().catch(() => undefined);
      throw e;
    }
  }

  /** The PS bytes of the playback (for a relay or a test). */
  bytes(): Readable {
    return this.receiver.readable();
  }

  lastPacketMs(): number | null {
    return this.receiver.counters().lastPacketMs;
  }

  onEnded(fn: (s: PlaybackState) => void): void {
    if (this.state.ended !== null) fn(this.state);
    else this.endedFns.push(fn);
  }

  /** Sends one command (INFO with MANSRTSP); a refusal is a DomainError (gb.records.control_refused). */
  control(cmd: PlaybackCommand): Promise<PlaybackState> {
    const run = async (): Promise<PlaybackState> => {
      if (this.state.ended !== null) throw new DomainError(ErrorKind.NotFound, msg('gb.records.playback_not_found', { id: this.state.id }));
      if (cmd.kind === 'scale' && !(PLAYBACK_SCALES as readonly number[]).includes(Math.abs(cmd.scale)))
        throw DomainError.field('scale', msg('schema.not_one_of', { values: PLAYBACK_SCALES.join(', ') }));
      const status = await this.dialog.info(mansrtsp(cmd, this.cseq++));
      if (status >= 300) throw new DomainError(ErrorKind.Unavailable, msg('gb.records.control_refused', { status }));
      switch (cmd.kind) {
        case 'pause':
          this.state.paused = true;
          break;
        case 'play':
          this.state.paused = false;
          break;
        case 'seek':
          this.state.paused = false;
          this.state.seekOffsetMs = Math.round(cmd.offsetS * 1000);
          break;
        case 'scale':
          this.state.scale = cmd.scale;
          break;
        case 'teardown':
          break;
      }
      return { ...this.state };
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Ends the playback (BYE, receiver closed). Idempotent. */
  async close(): Promise<void> {
    this.finish('closed');
    await this.dialog.bye().catch(() => undefined);
    await this.receiver.close().catch(() => undefined);
  }

  private finish(why: NonNullable<PlaybackState['ended']>): void {
    if (this.state.ended !== null) return;
    this.state.ended = why;
    for (const fn of this.endedFns.splice(0)) fn(this.state);
    if (why !== 'closed') void this.receiver.close().catch(() => undefined);
  }
}
