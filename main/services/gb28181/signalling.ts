// The contract between the GB/T 28181 modules: what the SIP endpoint (registrar, transactions) offers the rest of the feature.
import type { SipMessage } from 'sip';

/** Where a registered device (or the upper platform) is reached: from the Via/source of its last REGISTER. */
export interface GbPeer {
  /** The 20-digit GB/T 28181 ID (device, platform). */
  id: string;
  transport: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** A MANSCDP body (GB/T 28181 annex A), decoded from GB2312/GB18030 or UTF-8 XML. */
export interface Manscdp {
  root: 'Query' | 'Control' | 'Response' | 'Notify';
  cmdType: string;
  sn: number;
  deviceId: string;
  /** Every other child of the root element, as fast-xml-parser reads it (numbers stay strings; lists under Item). */
  fields: Record<string, unknown>;
}

/** A request Argus sends to a peer; `uri` defaults to sip:<peer id>@<host>:<port>. */
export interface OutRequest {
  method: 'MESSAGE' | 'INVITE' | 'BYE' | 'SUBSCRIBE' | 'NOTIFY' | 'INFO';
  /** The GB ID put in the Request-URI and To (a channel ID for an INVITE; the device ID otherwise). */
  toId?: string;
  contentType?: 'Application/MANSCDP+xml' | 'APPLICATION/SDP' | 'Application/MANSRTSP';
  /** The body as bytes (MANSCDP is sent GB2312-encoded) or UTF-8 text. */
  body?: Buffer | string;
  /** Extra headers (Subject, Event, Expires ...). */
  headers?: Record<string, string | number>;
  timeoutMs?: number;
  /**
   * Sends within an existing dialog (a SUBSCRIBE refresh, an in-subscription request): its Call-ID and tags instead of
   * fresh ones. The answer's To tag is `response.headers.to.params.tag`.
   */
  dialog?: { callId: string; fromTag: string; toTag?: string };
}

/** An established INVITE dialog (live, playback or download). */
export interface GbDialog {
  /** The peer's SDP answer (UTF-8 text). */
  readonly answerSdp: string;
  readonly callId: string;
  /** In-dialog INFO (MANSRTSP for playback control); resolves with the final status code. */
  info(body: string): Promise<number>;
  /** Ends the dialog (BYE); resolves once answered or after a timeout. Idempotent. */
  bye(): Promise<void>;
  /** Called once when the peer ends the dialog (BYE from it, or a MESSAGE MediaStatus 121 "file end"). */
  onEnded(fn: (why: 'bye' | 'media-end') => void): void;
}

/** Why a device's registration state changed. */
export type GbRegistrationEvent =
  | { type: 'registered'; deviceId: string; peer: GbPeer; first: boolean }
  | { type: 'unregistered'; deviceId: string }
  | { type: 'expired'; deviceId: string }
  | { type: 'online'; deviceId: string }
  | { type: 'offline'; deviceId: string; missedKeepalives: number };

/**
 * What the SIP endpoint offers: requests to registered peers, MANSCDP queries with their answers, INVITE dialogs, and
 * handlers for what devices send. Implemented by endpoint.ts over the `sip` stack; a test double of it is never used
 * in place of the real one (tests run the real endpoint against the simulator process).
 */
export interface GbSignalling {
  /** This server's 20-digit SIP ID and 10-digit domain (realm). */
  readonly serverId: string;
  readonly domain: string;
  /** The address devices reach Argus on (host only: for SDP c= lines; Via/Contact add the SIP port). */
  readonly localHost: string;
  /** The SIP port (UDP and TCP) devices reach Argus on; 0 before start(). */
  readonly localPort: number;
  /** The device's peer while it is registered; null otherwise. */
  peer(id: string): GbPeer | null;
  /** Sends a request to a registered peer (or an explicitly given one); resolves with the final response. */
  request(to: string | GbPeer, req: OutRequest): Promise<SipMessage>;
  /**
   * MANSCDP Query/Control: sends it with a fresh SN and resolves with the device's Response MESSAGE(s) carrying that SN,
   * collected until SumNum items arrived (Catalog, RecordInfo come in several) or `timeoutMs` passed since the last one.
   * Rejects with a DomainError (message registered in the catalogs) when the device refuses or never answers.
   * `toId`: the body's DeviceID when it is not the device itself (a channel: PresetQuery, RecordCmd, HomePosition).
   */
  query(
    deviceId: string,
    root: 'Query' | 'Control',
    cmdType: string,
    fields: Record<string, unknown>,
    opts?: { timeoutMs?: number; multi?: boolean; toId?: string },
  ): Promise<Manscdp[]>;
  /** Sends a MANSCDP Notify/Response (no answer awaited beyond the SIP 200). */
  notify(to: string | GbPeer, body: Omit<Manscdp, 'sn'> & { sn?: number }): Promise<number>;
  /** INVITE with an SDP offer; resolves after 200 OK and ACK; rejects with a DomainError otherwise. */
  invite(deviceId: string, channelId: string, offerSdp: string, subject: string): Promise<GbDialog>;
  /**
   * Device-initiated MANSCDP (Keepalive, Alarm, MobilePosition, Catalog notifications, MediaStatus ...): one handler per
   * CmdType; a handler's thrown error answers 400. Returns the unsubscribe.
   */
  onManscdp(cmdType: string, handler: (from: GbPeer, msg: Manscdp) => void | Promise<void>): () => void;
  /** Registration and keepalive state changes of devices. Returns the unsubscribe. */
  onRegistration(fn: (ev: GbRegistrationEvent) => void): () => void;
  /**
   * Requests the registrar does not own (from the upper platform in a cascade: its MESSAGE queries, INVITE, BYE):
   * the first handler that returns true has answered. Returns the unsubscribe.
   */
  onRequest(
    handler: (req: SipMessage, from: GbPeer, reply: (status: number, extra?: { contentType?: string; body?: Buffer | string }) => void) => boolean,
  ): () => void;
}
