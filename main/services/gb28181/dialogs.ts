// INVITE dialogs of the GB/T 28181 endpoint (live, playback, download): in-dialog INFO and BYE both ways, end by BYE or MediaStatus 121.
import type { SipMessage } from 'sip';
import type { GbDialog, GbPeer } from './signalling';

/** What a dialog needs from the endpoint: sending an in-dialog request and forgetting the dialog. */
export interface DialogHost {
  sendInDialog(d: Dialog, method: 'BYE' | 'INFO', body?: string, contentType?: string): Promise<SipMessage>;
  forget(d: Dialog): void;
}

export class Dialog implements GbDialog {
  private readonly enders: Array<(why: 'bye' | 'media-end') => void> = [];
  private ended = false;
  private byePromise: Promise<void> | null = null;
  cseq: number;

  constructor(
    private readonly host: DialogHost,
    readonly peer: GbPeer,
    readonly channelId: string,
    readonly callId: string,
    readonly localTag: string,
    readonly remoteTag: string,
    /** The Request-URI of in-dialog requests (the 200 OK's Contact, else the INVITE's URI). */
    readonly target: string,
    readonly answerSdp: string,
    /** From the offer's s= line: Play, Playback or Download. */
    readonly session: string,
    inviteCseq: number,
  ) {
    this.cseq = inviteCseq;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  async info(body: string): Promise<number> {
    const rs = await this.host.sendInDialog(this, 'INFO', body, 'Application/MANSRTSP');
    return rs.status ?? 0;
  }

  bye(): Promise<void> {
    if (!this.byePromise) {
      this.ended = true;
      this.host.forget(this);
      this.byePromise = this.host.sendInDialog(this, 'BYE').then(
        () => undefined,
        () => undefined,
      );
    }
    return this.byePromise;
  }

  onEnded(fn: (why: 'bye' | 'media-end') => void): void {
    this.enders.push(fn);
  }

  /** The peer ended it (its BYE, or MediaStatus 121 for playback/download). */
  endedByPeer(why: 'bye' | 'media-end'): void {
    if (this.ended) return;
    this.ended = true;
    this.host.forget(this);
    for (const fn of this.enders.splice(0)) {
      try {
        fn(why);
      } catch {
        /* a listener's failure does not stop the others */
      }
    }
  }
}

/** The s= line of an SDP (Play, Playback, Download). */
export function sessionOf(sdp: string): string {
  return /^s=(.*)$/m.exec(sdp)?.[1]?.trim() ?? '';
}
