// The hub's RTMPS listener: RTMP sessions on TLS sockets (TLS 1.2+), failed handshakes logged and dropped.
import tls from 'node:tls';
import type { Log } from '../common/log';

/** Listens for RTMPS on `o.port` (0: any free port); each accepted TLS socket goes to `onSocket`, like a plain RTMP one. */
export async function listenRtmps(
  o: { cert: string | Buffer; key: string | Buffer; port: number },
  host: string | undefined,
  maxConnections: number,
  log: Log,
  onSocket: (socket: tls.TLSSocket) => void,
): Promise<tls.Server> {
  const server = tls.createServer({ cert: o.cert, key: o.key, minVersion: 'TLSv1.2' }, onSocket);
  server.maxConnections = maxConnections;
  server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
    log.warn(`RTMPS handshake from ${socket.remoteAddress ?? '?'} failed: ${err.message}`);
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: o.port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err: Error) => log.error(`RTMPS listener error: ${err.message}`, { err }));
  return server;
}
