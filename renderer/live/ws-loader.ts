// mpegts.js WebSocket loader that detaches its socket's handlers when aborted, so a late socket error cannot throw.
import mpegts from 'mpegts.js';

/**
 * mpegts.js's own WebSocket loader closes a still-connecting socket on abort but leaves its handlers attached; the
 * socket's error event (e.g. the server refusing a unit that publishes no video) then reaches a loader whose callbacks
 * were already cleared, and it throws an uncaught RuntimeException in the page. This loader behaves the same while it
 * works and forgets the socket entirely when the player is torn down.
 */
export class DetachingWebSocketLoader extends mpegts.BaseLoader {
  private ws: WebSocket | null = null;
  private receivedBytes = 0;

  constructor() {
    super('argus-websocket-loader');
    this._needStash = true;
  }

  static isSupported(): boolean {
    return typeof WebSocket !== 'undefined';
  }

  override destroy(): void {
    this.abort();
    super.destroy();
  }

  override open(dataSource: { url: string }): void {
    const ws = new WebSocket(dataSource.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.receivedBytes = 0;
    this._status = mpegts.LoaderStatus.kConnecting;
    ws.onopen = () => {
      this._status = mpegts.LoaderStatus.kBuffering;
    };
    ws.onmessage = (e: MessageEvent) => {
      if (this.ws !== ws) return;
      if (e.data instanceof ArrayBuffer) {
        const start = this.receivedBytes;
        this.receivedBytes += e.data.byteLength;
        this.onDataArrival?.(e.data, start, this.receivedBytes);
      } else this.fail(`unexpected WebSocket message type ${typeof e.data}`);
    };
    ws.onerror = () => {
      if (this.ws === ws) this.fail('WebSocket error');
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this._status = mpegts.LoaderStatus.kComplete;
      this.onComplete?.(0, this.receivedBytes - 1);
    };
  }

  override abort(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close();
    }
    this._status = mpegts.LoaderStatus.kComplete;
  }

  private fail(msg: string): void {
    this._status = mpegts.LoaderStatus.kError;
    (this.onError as unknown as ((type: string, info: { code: number; msg: string }) => void) | null)?.(mpegts.LoaderErrors.EXCEPTION, { code: -1, msg });
  }
}
