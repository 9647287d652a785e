// Serves the built console (a single-page app) from a directory: index.html fallback, path-traversal guard, no source maps.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Argus</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>Argus</h1>
<p>The console is not built. Run <code>npm run build:renderer</code> and reload this page.</p>
<p>The API is available under <code>/api/v1</code> (see <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>).</p>
</body></html>
`;

function sendText(res: http.ServerResponse, status: number, type: string, text: string, head: boolean): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(head ? undefined : text);
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await fs.promises.realpath(p);
  } catch {
    return null;
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function fileIn(root: string, candidate: string): Promise<{ file: string; size: number } | null> {
  const real = await realpathOrNull(candidate);
  if (!real || !inside(root, real)) return null; // symlinks out of the console directory are not followed
  let st = await fs.promises.stat(real).catch(() => null);
  let file = real;
  if (st?.isDirectory()) {
    file = path.join(real, 'index.html');
    st = await fs.promises.stat(file).catch(() => null);
  }
  return st?.isFile() ? { file, size: st.size } : null;
}

/** Answers a non-API request from `rootDir`: the file, index.html for client-side routes, or a "not built" page. */
export async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL, rootDir: string): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false);
  }
  const root = await realpathOrNull(rootDir);
  if (!root) return sendText(res, 503, 'text/html; charset=utf-8', NOT_BUILT_HTML, head);

  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return sendText(res, 400, 'text/plain; charset=utf-8', 'bad path\n', head);
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return sendText(res, 400, 'text/plain; charset=utf-8', 'bad path\n', head);
  // Source maps give away the whole console's source: kept on disk for developers, served to no one.
  if (decoded.toLowerCase().endsWith('.map')) return sendText(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
  const candidate = path.join(root, path.posix.normalize('/' + decoded));
  if (!inside(root, candidate)) return sendText(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);

  let found = await fileIn(root, candidate);
  if (!found) {
    // Client-side routes (/cameras/3) get the app; a missing asset (/app.js) is a plain 404.
    const ext = path.extname(decoded);
    if (ext && ext !== '.html') return sendText(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
    found = await fileIn(root, path.join(root, 'index.html'));
    if (!found) return sendText(res, 503, 'text/html; charset=utf-8', NOT_BUILT_HTML, head);
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', MIME[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Content-Length', found.size);
  res.setHeader('Cache-Control', 'no-cache');
  if (head) {
    res.end();
    return;
  }
  const stream = fs.createReadStream(found.file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
