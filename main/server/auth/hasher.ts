// The sign-in hasher: scrypt on its own worker thread(s), not on the libuv pool that serves SQLite, behind a bounded queue.
import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { formatHash, parseHash, SCRYPT_PARAMS, scryptMaxmem } from './passwords';

/** The worker: derives one key per message with scryptSync (blocking its own thread only). CommonJS, run with eval. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
parentPort.on('message', (m) => {
  let out;
  try {
    out = { id: m.id, key: scryptSync(m.password, Buffer.from(m.salt), m.keyLen, { N: m.N, r: m.r, p: m.p, maxmem: m.maxmem }) };
  } catch (e) {
    out = { id: m.id, error: String((e && e.message) || e) };
  }
  parentPort.postMessage(out);
});
`;

export interface HasherOptions {
  /** Worker threads (1 or 2: each scrypt takes ~16 MiB and one core while it runs). */
  workers?: number;
  /** Hashes waiting or running at most; one more is refused at once with HasherBusy. */
  maxQueue?: number;
}

/** The queue is full: answer 503 with Retry-After instead of waiting. */
export class HasherBusy extends Error {
  constructor(readonly retryAfterMs: number) {
    super('password hasher busy');
    this.name = 'HasherBusy';
  }
}

interface Job {
  id: number;
  password: string;
  salt: Buffer;
  keyLen: number;
  N: number;
  r: number;
  p: number;
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export class PasswordHasher {
  /** Keys derived so far (tests count the hashes a flood caused). */
  hashesDone = 0;
  private readonly workers: number;
  private readonly maxQueue: number;
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private avgMs = 60;
  private closed = false;

  constructor(opts: HasherOptions = {}) {
    this.workers = Math.max(1, Math.min(4, opts.workers ?? 1));
    this.maxQueue = Math.max(1, opts.maxQueue ?? 16);
  }

  /** Hashes waiting or running now. */
  get load(): number {
    return this.waiting.length + this.slots.filter((s) => s.job).length;
  }

  /** A new "scrypt$…" hash of the password (random salt). Throws HasherBusy when the queue is full. */
  async hash(password: string): Promise<string> {
    const { N, r, p, keyLen, saltBytes } = SCRYPT_PARAMS;
    const salt = crypto.randomBytes(saltBytes);
    const key = await this.derive(password, salt, keyLen, N, r, p);
    return formatHash(N, r, p, salt, key);
  }

  /** Checks a password against a stored hash in constant time; false for a malformed hash. Throws HasherBusy when full. */
  async verify(password: string, stored: string): Promise<boolean> {
    const h = parseHash(stored);
    if (!h) return false;
    let key: Buffer;
    try {
      key = await this.derive(password, h.salt, h.expected.length, h.N, h.r, h.p);
    } catch (e) {
      if (e instanceof HasherBusy) throw e;
      return false;
    }
    return key.length === h.expected.length && crypto.timingSafeEqual(key, h.expected);
  }

  /** How long a refused caller should wait before trying again (the queue drained at the measured speed). */
  retryAfterMs(): number {
    return Math.max(1000, Math.ceil((this.load * this.avgMs) / this.workers));
  }

  private derive(password: string, salt: Buffer, keyLen: number, N: number, r: number, p: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('password hasher closed'));
    if (this.load >= this.maxQueue) return Promise.reject(new HasherBusy(this.retryAfterMs()));
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, password, salt, keyLen, N, r, p, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.workers) slot = this.spawn();
      if (!slot) return;
      const job = this.waiting.shift()!;
      slot.job = job;
      const startMs = performance.now();
      const done = (msg: { id: number; key?: Uint8Array; error?: string }) => {
        if (msg.id !== job.id) return;
        slot.worker.off('message', done);
        slot.job = null;
        slot.worker.unref();
        this.avgMs = this.avgMs * 0.8 + (performance.now() - startMs) * 0.2;
        this.hashesDone++;
        if (msg.key) job.resolve(Buffer.from(msg.key));
        else job.reject(new Error(msg.error ?? 'scrypt failed'));
        this.pump();
      };
      slot.worker.on('message', done);
      slot.worker.ref();
      const { password, salt, keyLen, N, r, p } = job;
      slot.worker.postMessage({ id: job.id, password, salt, keyLen, N, r, p, maxmem: scryptMaxmem(N, r, p) });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: 'argus-hasher' });
    const slot: Slot = { worker, job: null };
    worker.unref();
    const fail = (err: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.job?.reject(err);
      slot.job = null;
      if (!this.closed) this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`password hasher thread exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }

  /** Stops the worker threads; waiting hashes fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('password hasher closed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
