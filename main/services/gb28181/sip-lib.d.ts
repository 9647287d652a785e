// Types for the `sip` npm package (0.0.6, plain JavaScript): the parts the GB/T 28181 endpoint uses.
declare module 'sip' {
  export interface SipUri {
    schema?: string;
    user?: string;
    password?: string;
    host: string;
    port?: number;
    params?: Record<string, string | null>;
    headers?: Record<string, string>;
  }
  export interface NameAddr {
    name?: string;
    uri: string;
    params: Record<string, string | null>;
  }
  export interface Via {
    version: string;
    protocol: string;
    host: string;
    port?: number;
    params: Record<string, string | null>;
  }
  export interface SipHeaders {
    to: NameAddr;
    from: NameAddr;
    'call-id': string;
    cseq: { seq: number; method: string };
    via: Via[];
    contact?: NameAddr[] | '*';
    'content-type'?: string;
    'content-length'?: number;
    expires?: number | string;
    authorization?: Array<Record<string, string>>;
    'www-authenticate'?: Array<Record<string, string>>;
    [name: string]: unknown;
  }
  /** A request (method, uri) or a response (status, reason). `content` is a 'binary' (latin1) string: one char per byte. */
  export interface SipMessage {
    method?: string;
    uri?: string;
    version?: string;
    status?: number;
    reason?: string;
    headers: SipHeaders;
    content: string;
  }
  export interface SipRemote {
    protocol: string;
    address: string;
    port: number;
    local?: { address: string; port: number };
  }
  export interface SipOptions {
    port?: number;
    address?: string;
    hostname?: string;
    publicAddress?: string;
    udp?: boolean;
    tcp?: boolean;
    logger?: {
      send?: (m: SipMessage, target: SipRemote) => void;
      recv?: (m: SipMessage, remote: SipRemote) => void;
      error?: (e: unknown) => void;
    };
  }
  export interface SipStack {
    send(m: SipMessage, callback?: (res: SipMessage) => void): void;
    destroy(): void;
    encodeFlowUri(flow: SipRemote): SipUri;
    decodeFlowUri(uri: string | SipUri): SipRemote | undefined;
    isFlowUri(uri: string | SipUri): boolean;
    hostname(): string;
  }
  export function create(options: SipOptions, onRequest: (req: SipMessage, remote: SipRemote) => void): SipStack;
  export function makeResponse(req: SipMessage, status: number, reason: string, extension?: Partial<SipMessage>): SipMessage;
  export function parseUri(s: string): SipUri;
  export function stringifyUri(u: SipUri): string;
  export function parse(s: string): SipMessage | undefined;
  export function stringify(m: SipMessage): string;
  export function generateBranch(): string;
  export function copyMessage(m: SipMessage, deep?: boolean): SipMessage;
  /** What the transaction layer sends through (a transport connection). */
  export interface SipConnection {
    send(m: SipMessage): void;
    release(): void;
    protocol: string;
  }
  /** A client or server transaction (RFC 3261 17): retransmissions and timers. */
  export interface SipTransaction {
    send?(m: SipMessage): void;
    message(m: SipMessage, remote?: unknown): void;
    shutdown(): void;
  }
  export interface SipTransactionLayer {
    createServerTransaction(rq: SipMessage, cn: SipConnection): SipTransaction;
    /** Sets the top Via's branch; `callback` gets every response (a generated 408 on timeout, 503 on a transport error). */
    createClientTransaction(cn: SipConnection, rq: SipMessage, callback: (rs: SipMessage) => void): SipTransaction;
    getServer(m: SipMessage): SipTransaction | undefined;
    getClient(m: SipMessage): SipTransaction | undefined;
    destroy(): void;
  }
  export function makeTransactionLayer(options: Record<string, unknown>, connect: unknown): SipTransactionLayer;
}
