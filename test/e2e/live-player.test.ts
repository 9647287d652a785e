// End to end: the console's live player in headless Chromium survives a stream whose audio it cannot decode (G.711 in FLV): video plays without sound.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldClip } from '../helpers/clips';
import { FFMPEG_BIN } from '../helpers/ffmpeg';
import { launchBrowser, type TestBrowser } from '../harness';

describe('live player and audio it cannot decode', () => {
  let tmp: string;
  let server: http.Server;
  let base: string;
  let browser: TestBrowser;
  let clip: string;
  const streams = new Set<ChildProcess>();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-player-'));
    clip = await fieldClip('h264-g711a', 10);
    await esbuild.build({
      entryPoints: [path.join(import.meta.dirname, 'fixtures', 'live-player-entry.ts')],
      outfile: path.join(tmp, 'player.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: ['chrome110'],
      logLevel: 'silent',
    });
    fs.writeFileSync(
      path.join(tmp, 'index.html'),
      '<!doctype html><meta charset="utf-8"><video muted playsinline width="640" height="360"></video><script type="module" src="/player.js"></script>',
    );
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.flv': 'video/x-flv' };
    server = http.createServer((req, res) => {
      if (req.url?.startsWith('/live.flv')) {
        // What the player would get from a server that passed G.711 through (the hub now leaves it out): live HTTP-FLV
        // with SoundFormat 7 (A-law) audio tags next to H.264, in real time.
        const ff = spawn(FFMPEG_BIN, ['-nostdin', '-v', 'error', '-re', '-stream_loop', '-1', '-i', clip, '-c', 'copy', '-f', 'flv', 'pipe:1'], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        streams.add(ff);
        ff.once('exit', () => streams.delete(ff));
        res.writeHead(200, { 'Content-Type': 'video/x-flv', 'Cache-Control': 'no-store' });
        ff.stdout!.pipe(res);
        res.once('close', () => ff.kill('SIGKILL'));
        return;
      }
      const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname) || 'index.html';
      const file = path.join(tmp, name);
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': types[path.extname(name)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const ff of streams) ff.kill('SIGKILL');
    await new Promise((r) => server?.close(r));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('plays the picture without sound instead of reconnecting (MediaError CodecUnsupported for G.711)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => typeof window.startPlayer === 'function');
    await page.evaluate((u) => window.startPlayer(u), `${base}/live.flv`);
    await page
      .waitForFunction(() => window.probe.phases.includes('playing'), undefined, { timeout: 20_000 })
      .catch(async (e) => {
        throw new Error(`${(e as Error).message}\n${JSON.stringify(await page.evaluate(() => window.probe))}`);
      });
    const f0 = await page.evaluate(() => document.querySelector('video')!.getVideoPlaybackQuality().totalVideoFrames);
    await page.waitForTimeout(2000);
    const probe = await page.evaluate(() => ({ ...window.probe, frames: document.querySelector('video')!.getVideoPlaybackQuality().totalVideoFrames }));
    expect(probe.frames - f0, 'frames decoded in 2 s').toBeGreaterThan(25);
    expect(probe.logs.join('\n')).toMatch(/Unsupported audio codec.*playing video without sound/);
    expect(probe.phases).not.toContain('retrying');
    await context.close();
  });
});
