// Benchmark helper: the script bench:live injects into the console page (first frame after a drop, per-tile playback counters, time-code latency sampler).
//
// Plain JavaScript in a string (installed with addInitScript before the console loads), not a function passed to
// page.evaluate: tsx may wrap named functions with helpers that do not exist in the page. Read through live-page.ts.
import { TIMECODE } from './timecode';

export const PAGE_SCRIPT = String.raw`
(() => {
  if (window.__argusBench) return;
  const TC = ${JSON.stringify(TIMECODE)};
  const B = { lastDrop: null, sockets: [], tickets: [], tiles: {}, ff: null, lat: null, pageErrors: 0 };
  window.__argusBench = B;
  const tileOf = (el) => {
    const t = el && el.closest ? el.closest('.tile[data-tile-index]') : null;
    return t ? Number(t.getAttribute('data-tile-index')) : -1;
  };
  const stats = (i) => {
    if (!B.tiles[i]) B.tiles[i] = { decoded: 0, dropped: 0, presented: 0, waiting: 0, seeking: 0, leftPlaying: 0, mediaS: 0, wallS: 0, aheadSumS: 0, aheadSamples: 0, freezes: 0, frozenS: 0 };
    return B.tiles[i];
  };
  const videoOf = (i) => document.querySelector('.tile[data-tile-index="' + i + '"] video');

  // ---- what happens after a drop: ticket, WebSocket, first message
  document.addEventListener('drop', (e) => {
    const i = tileOf(e.target);
    if (i >= 0) B.lastDrop = { tile: i, atMs: Date.now() };
  }, true);
  const nativeFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    const p = nativeFetch.call(this, input, init);
    if (url.indexOf('/live/tickets') >= 0) {
      const rec = { startMs: Date.now(), endMs: null };
      B.tickets.push(rec);
      if (B.tickets.length > 200) B.tickets.shift();
      p.then(() => { rec.endMs = Date.now(); }, () => { rec.endMs = Date.now(); });
    }
    return p;
  };
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).indexOf('/live/ws/') >= 0) {
        const rec = { createdMs: Date.now(), openMs: null, firstMessageMs: null, closeMs: null };
        B.sockets.push(rec);
        if (B.sockets.length > 200) B.sockets.shift();
        this.addEventListener('open', () => { rec.openMs = Date.now(); }, { once: true });
        this.addEventListener('message', () => { rec.firstMessageMs = Date.now(); }, { once: true });
        this.addEventListener('close', () => { rec.closeMs = Date.now(); }, { once: true });
      }
    }
  };

  // ---- media events (they do not bubble; a capture listener on the document sees them)
  B.mediaLog = [];
  const logMedia = (e) => {
    const v = e.target;
    if (!(v instanceof HTMLVideoElement)) return;
    const n = v.buffered.length;
    B.mediaLog.push({ tile: tileOf(v), type: e.type, atMs: Date.now(), seeking: v.seeking, aheadS: n > 0 ? v.buffered.end(n - 1) - v.currentTime : -1,
      currentTime: v.currentTime, readyState: v.readyState });
    if (B.mediaLog.length > 20000) B.mediaLog.splice(0, 10000);
  };
  for (const type of ['waiting', 'seeking', 'seeked', 'playing', 'stalled']) document.addEventListener(type, logMedia, true);
  const played = new WeakSet();
  document.addEventListener('playing', (e) => { if (e.target instanceof HTMLVideoElement) played.add(e.target); }, true);
  document.addEventListener('emptied', (e) => { played.delete(e.target); }, true);
  document.addEventListener('waiting', (e) => {
    if (e.target instanceof HTMLVideoElement && played.has(e.target)) stats(tileOf(e.target)).waiting++;
  }, true);
  const seeksOf = new WeakMap();
  document.addEventListener('seeking', (e) => {
    if (!(e.target instanceof HTMLVideoElement)) return;
    stats(tileOf(e.target)).seeking++;
    seeksOf.set(e.target, (seeksOf.get(e.target) || 0) + 1);
  }, true);
  window.addEventListener('error', () => { B.pageErrors++; });

  // ---- tile state changes
  new MutationObserver((muts) => {
    for (const m of muts) {
      const el = m.target;
      if (!(el instanceof Element) || !el.hasAttribute('data-tile-index')) continue;
      const now = el.getAttribute('data-state');
      if (m.oldValue === 'playing' && now !== 'playing' && now !== 'idle') stats(Number(el.getAttribute('data-tile-index'))).leftPlaying++;
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });

  // ---- once a second: decoded / dropped frames (the counters restart with each new media player), freezes
  const perEl = new WeakMap();
  setInterval(() => {
    for (const t of document.querySelectorAll('.tile[data-tile-index]')) {
      const v = t.querySelector('video');
      if (!v || typeof v.getVideoPlaybackQuality !== 'function') continue;
      const q = v.getVideoPlaybackQuality();
      const s = stats(Number(t.getAttribute('data-tile-index')));
      let p = perEl.get(v);
      if (!p) { p = { total: 0, dropped: 0, still: 0, handle: 0, lastCbMs: 0, lastAtMs: 0, lastCt: -1, lastSeeks: -1 }; perEl.set(v, p); }
      // A requestVideoFrameCallback chain per video counts presented frames; re-armed when silent (new src).
      const now = Date.now();
      const seeks = seeksOf.get(v) || 0;
      const playing = t.getAttribute('data-state') === 'playing' && !v.paused;
      if (playing && p.lastCt >= 0 && seeks === p.lastSeeks && v.currentTime >= p.lastCt) {
        s.mediaS += v.currentTime - p.lastCt;
        s.wallS += (now - p.lastAtMs) / 1000;
      }
      p.lastCt = playing ? v.currentTime : -1;
      p.lastAtMs = now;
      p.lastSeeks = seeks;
      if (v.src && now - p.lastCbMs > 1500) {
        if (p.handle) v.cancelVideoFrameCallback(p.handle);
        p.lastCbMs = now;
        const onPresented = () => {
          p.lastCbMs = Date.now();
          stats(tileOf(v)).presented++;
          p.handle = v.requestVideoFrameCallback(onPresented);
        };
        p.handle = v.requestVideoFrameCallback(onPresented);
      }
      const dT = q.totalVideoFrames >= p.total ? q.totalVideoFrames - p.total : q.totalVideoFrames;
      const dD = q.droppedVideoFrames >= p.dropped ? q.droppedVideoFrames - p.dropped : q.droppedVideoFrames;
      p.total = q.totalVideoFrames;
      p.dropped = q.droppedVideoFrames;
      s.decoded += dT;
      s.dropped += dD;
      if (t.getAttribute('data-state') === 'playing' && v.buffered.length > 0) {
        s.aheadSumS += v.buffered.end(v.buffered.length - 1) - v.currentTime;
        s.aheadSamples++;
      }
      if (t.getAttribute('data-state') === 'playing' && dT === 0) {
        s.frozenS++;
        if (p.still === 0) s.freezes++;
        p.still++;
      } else p.still = 0;
    }
  }, 1000);

  // ---- first frame after a drop on tile i
  B.armFirstFrame = (tile) => {
    const ff = { tile, armedMs: Date.now(), dropMs: null, ticketStartMs: null, ticketEndMs: null, wsCreatedMs: null, wsOpenMs: null,
      wsFirstMessageMs: null, srcMs: null, framesAtSrc: null, frameMs: null, presentedMs: null, counterMs: null };
    B.ff = ff;
    B.lastDrop = null;
    const step = () => {
      if (B.ff !== ff) return;
      if (ff.dropMs === null && B.lastDrop && B.lastDrop.tile === tile) ff.dropMs = B.lastDrop.atMs;
      const v = videoOf(tile);
      if (v && v.src && ff.srcMs === null) {
        ff.srcMs = Date.now();
        ff.framesAtSrc = v.getVideoPlaybackQuality().totalVideoFrames;
        v.requestVideoFrameCallback((_now, meta) => {
          if (B.ff !== ff) return;
          ff.frameMs = Date.now();
          ff.presentedMs = performance.timeOrigin + meta.presentationTime;
        });
      }
      if (v && v.src && ff.counterMs === null && v.getVideoPlaybackQuality().totalVideoFrames > 0) ff.counterMs = Date.now();
      if (ff.frameMs === null || ff.counterMs === null) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  };
  B.readFirstFrame = () => {
    const ff = B.ff;
    if (!ff) return null;
    const since = ff.dropMs !== null ? ff.dropMs : ff.armedMs;
    const t = B.tickets.find((r) => r.startMs >= since);
    if (t) { ff.ticketStartMs = t.startMs; ff.ticketEndMs = t.endMs; }
    const w = B.sockets.find((r) => r.createdMs >= since);
    if (w) { ff.wsCreatedMs = w.createdMs; ff.wsOpenMs = w.openMs; ff.wsFirstMessageMs = w.firstMessageMs; }
    return Object.assign({}, ff);
  };

  // ---- time-code latency sampler on tile i
  B.startLatency = (tile) => {
    const L = { tile, samples: [], rejected: { ambiguous: 0, checksum: 0, order: 0, noFrame: 0 }, callbacks: 0, bufferS: [], videoSize: '',
      lastValue: -1, lastCbMs: 0, active: true, el: null, handle: 0 };
    B.lat = L;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const decode = (v) => {
      const W = v.videoWidth, H = v.videoHeight;
      if (!W || !H) return -1;
      if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; L.videoSize = W + 'x' + H; }
      ctx.drawImage(v, 0, 0, W, H);
      const sx = W / TC.width, sy = H / TC.height;
      const gx = Math.floor(TC.x0 * sx), gy = Math.floor(TC.y0 * sy);
      const gw = Math.ceil(TC.cols * TC.block * sx), gh = Math.ceil(TC.rows * TC.block * sy);
      const img = ctx.getImageData(gx, gy, gw, gh).data;
      const bits = [];
      // The middle half of each block (away from the edges, where compression smears black into white).
      const half = Math.max(2, Math.floor((TC.block * Math.min(sx, sy)) / 4));
      for (let r = 0; r < TC.rows; r++) {
        for (let c = 0; c < TC.cols; c++) {
          const cx = Math.floor((c * TC.block + TC.block / 2) * sx), cy = Math.floor((r * TC.block + TC.block / 2) * sy);
          let sum = 0, n = 0;
          for (let y = cy - half; y < cy + half; y += 2) {
            for (let x = cx - half; x < cx + half; x += 2) {
              const o = (y * gw + x) * 4;
              sum += img[o] * 0.299 + img[o + 1] * 0.587 + img[o + 2] * 0.114;
              n++;
            }
          }
          const mean = sum / n;
          if (mean > 170) bits.push(1);
          else if (mean < 85) bits.push(0);
          else return -2;
        }
      }
      let value = 0;
      for (let k = 0; k < 24; k++) value += bits[k] * Math.pow(2, k);
      let check = 0;
      for (let k = 0; k < 8; k++) check += bits[24 + k] * Math.pow(2, k);
      const expect = 255 - (((value & 255) + ((value >> 8) & 255) + ((value >> 16) & 255)) % 256);
      return check === expect ? value : -3;
    };
    const onFrame = (_now, meta) => {
      if (!L.active || B.lat !== L) return;
      const atMs = Date.now();
      L.callbacks++;
      L.lastCbMs = atMs;
      const v = L.el;
      try {
        const value = decode(v);
        if (value === -1) L.rejected.noFrame++;
        else if (value === -2) L.rejected.ambiguous++;
        else if (value === -3) L.rejected.checksum++;
        else if (value <= L.lastValue) L.rejected.order++;
        else {
          L.lastValue = value;
          L.samples.push([atMs, value, performance.timeOrigin + meta.presentationTime]);
        }
      } finally {
        if (L.active) L.handle = v.requestVideoFrameCallback(onFrame);
      }
    };
    const arm = () => {
      const v = videoOf(tile);
      if (!v || !v.src) return;
      if (L.el && L.handle) L.el.cancelVideoFrameCallback(L.handle);
      L.el = v;
      L.lastCbMs = Date.now();
      L.handle = v.requestVideoFrameCallback(onFrame);
    };
    L.watch = setInterval(() => {
      if (!L.active) return;
      if (Date.now() - L.lastCbMs > 1000) arm();
      const v = L.el;
      if (v && v.buffered.length > 0) L.bufferS.push(v.buffered.end(v.buffered.length - 1) - v.currentTime);
    }, 1000);
    arm();
  };
  B.stopLatency = () => {
    const L = B.lat;
    if (!L) return null;
    L.active = false;
    clearInterval(L.watch);
    if (L.el && L.handle) L.el.cancelVideoFrameCallback(L.handle);
    B.lat = null;
    return { tile: L.tile, samples: L.samples, rejected: L.rejected, callbacks: L.callbacks, bufferS: L.bufferS, videoSize: L.videoSize };
  };
  B.counters = () => JSON.parse(JSON.stringify(B.tiles));
  B.mediaEvents = (sinceMs) => B.mediaLog.filter((e) => e.atMs >= sinceMs);
})();
`;
