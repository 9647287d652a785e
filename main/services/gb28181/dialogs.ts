// INVITE dialogs of the GB/T 28181 endpoint (live, playback, download): in-dialog INFO and BYE both ways, end by BYE or MediaStatus 121.
import crypto from 'node:crypto';
import sip, { type SipMessage } from 'sip';
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import { DomainError } from '../../platform/errors';
import type { GbDialog, GbPeer } from './signalling';

const tag = () => crypto.randomBytes(6).toString('hex');

/** What the dialogs need from the endpoint: its identity, header parts and sending. */
export interface InviteHost {
  readonly serverId: string;
  readonly domain: string;
  readonly localHost: string;
  via(p: GbPeer): Array<{ version: string; protocol: string; host: string; port: number; params: Record<string, string | null> }>;
  contact(): Array<{ uri: string; params: Record<string, string> }>;
  /** Through a client transaction; resolves with the final response (408 after timeoutMs). */
  send(p: GbPeer, m: SipMessage, timeoutMs: number): Promise<SipMessage>;
  sendDirect(p: GbPeer, m: SipMessage): void;
  nextCseq(): number;
}

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

/** The endpoint's INVITE dialogs by Call-ID: creation (INVITE, 200, ACK), in-dialog requests, ends. */
export class DialogBook implements DialogHost {
  private readonly dialogs = new Map<string, Dialog>();

  constructor(private readonly host: InviteHost) {}

  get(callId: string): Dialog | undefined {
    return this.dialogs.get(callId);
  }

  async invite(p: GbPeer, channelId: string, offerSdp: string, subject: string): Promise<GbDialog> {
    const h = this.host;
    const localTag = tag();
    const callId = `${tag()}${tag()}@${h.localHost}`;
    const seq = h.nextCseq();
    const uri = `sip:${channelId}@${p.host}:${p.port}`;
    const m = {
      method: 'INVITE',
      uri,
      version: '2.0',
      headers: {
        via: h.via(p),
        to: { uri: `sip:${channelId}@${h.domain}`, params: {} },
        from: { uri: `sip:${h.serverId}@${h.domain}`, params: { tag: localTag } },
        'call-id': callId,
        cseq: { seq, method: 'INVITE' },
        'max-forwards': 70,
        contact: h.contact(),
        subject,
        'content-type': 'APPLICATION/SDP',
        'user-agent': 'Argus',
      },
      content: Buffer.from(offerSdp, 'utf8').toString('latin1'),
    } as unknown as SipMessage;
    const rs = await h.send(p, m, 15_000);
    const status = rs.status ?? 0;
    if (status < 200 || status >= 300)
      throw new DomainError(
        ErrorKind.Unavailable,
        status === 408 ? msg('gb.no_answer', { id: channelId, cmd: 'INVITE' }) : msg('gb.refused', { id: channelId, cmd: 'INVITE', status }),
      );
    const contact = Array.isArray(rs.headers.contact) ? rs.headers.contact[0]?.uri : undefined;
    const remoteTag = String(rs.headers.to.params.tag ?? '');
    const answer = Buffer.from(rs.content ?? '', 'latin1').toString('utf8');
    const d = new Dialog(this, p, channelId, callId, localTag, remoteTag, contact ?? uri, answer, sessionOf(offerSdp), seq);
    this.dialogs.set(callId, d);
    this.sendAck(d, rs);
    return d;
  }

  private sendAck(d: Dialog, rs: SipMessage): void {
    const via = this.host.via(d.peer)[0];
    const ack = {
      method: 'ACK',
      uri: d.target,
      version: '2.0',
      headers: {
        via: [{ ...via, params: { branch: sip.generateBranch(), rport: null } }],
        to: rs.headers.to,
        from: rs.headers.from,
        'call-id': d.callId,
        cseq: { seq: rs.headers.cseq.seq, method: 'ACK' },
        'max-forwards': 70,
        contact: this.host.contact(),
      },
      content: '',
    } as unknown as SipMessage;
    this.host.sendDirect(d.peer, ack);
  }

  /** A 2xx to an INVITE whose transaction has ended (retransmitted): ACK it again. */
  ackAgain(rs: SipMessage): void {
    const d = this.dialogs.get(rs.headers['call-id']);
    if (d) this.sendAck(d, rs);
  }

  sendInDialog(d: Dialog, method: 'BYE' | 'INFO', body?: string, contentType?: string): Promise<SipMessage> {
    const h = this.host;
    d.cseq += 1;
    const headers: Record<string, unknown> = {
      via: h.via(d.peer),
      to: { uri: `sip:${d.channelId}@${h.domain}`, params: { tag: d.remoteTag } },
      from: { uri: `sip:${h.serverId}@${h.domain}`, params: { tag: d.localTag } },
      'call-id': d.callId,
      cseq: { seq: d.cseq, method },
      'max-forwards': 70,
      contact: h.contact(),
    };
    if (contentType) headers['content-type'] = contentType;
    const content = body ? Buffer.from(body, 'utf8').toString('latin1') : '';
    return h.send(d.peer, { method, uri: d.target, version: '2.0', headers, content } as unknown as SipMessage, 5_000);
  }

  forget(d: Dialog): void {
    if (this.dialogs.get(d.callId) === d) this.dialogs.delete(d.callId);
  }

  /** MediaStatus 121 (file end) from a device: its playback/download dialogs of that channel end. */
  mediaEnded(fromId: string, targetId: string): void {
    for (const d of [...this.dialogs.values()])
      if (d.peer.id === fromId && d.session !== 'Play' && (d.channelId === targetId || fromId === targetId)) d.endedByPeer('media-end');
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.dialogs.values()].map((d) => d.bye()));
  }
}
