// Sign-in requests from a chosen loopback address (127.0.0.x), so tests can act as several client addresses at once.
import http from 'node:http';

export interface LoginAnswer {
  status: number;
  retryAfter: string | null;
  body: { token?: string; error?: { code: string; message: string } };
}

/** POST /api/v1/auth/login from `from` (a 127.0.0.0/8 address: Linux answers on all of them). */
export function loginFrom(baseUrl: string, from: string, username: string, password: string): Promise<LoginAnswer> {
  const url = new URL('/api/v1/auth/login', baseUrl);
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), 'User-Agent': `test-client/${from}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, body: text ? JSON.parse(text) : {} });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
