// JSON-lines log file with size-based rotation (argus.log → argus.1.log → … argus.N.log), written synchronously.
import fs from 'node:fs';
import path from 'node:path';

export interface RotatingFileOptions {
  /** Folder of the files (made when missing). */
  dir: string;
  /** Base name without extension (default 'argus': argus.log, argus.1.log, ...). */
  name?: string;
  /** The current file is rotated before a line would take it past this size. */
  maxBytes: number;
  /** Rotated files kept besides the current one (0: the current file is simply started again). */
  keep: number;
}

/**
 * A log destination whose every write reaches the file before write() returns (no buffer to lose on exit or crash).
 * A write failure (disk full, folder removed) is reported once through onError and the line is dropped.
 */
export class RotatingFile {
  private fd: number | null = null;
  private sizeBytes = 0;
  private failed = false;
  readonly file: string;

  constructor(
    private readonly opts: RotatingFileOptions,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.file = this.pathOf(0);
  }

  /** argus.log (index 0), argus.1.log, ... */
  pathOf(index: number): string {
    const base = this.opts.name ?? 'argus';
    return path.join(this.opts.dir, index === 0 ? `${base}.log` : `${base}.${index}.log`);
  }

  write(line: string): void {
    const buf = Buffer.from(line.endsWith('\n') ? line : line + '\n');
    try {
      if (this.fd === null) this.open();
      if (this.sizeBytes > 0 && this.sizeBytes + buf.length > this.opts.maxBytes) this.rotate();
      fs.writeSync(this.fd!, buf);
      this.sizeBytes += buf.length;
      this.failed = false;
    } catch (err) {
      if (!this.failed) this.onError(err as Error);
      this.failed = true;
      this.closeFd();
    }
  }

  /** Nothing is buffered; kept for the destination contract (pino calls flushSync when present). */
  flushSync(): void {
    if (this.fd !== null) fs.fsyncSync(this.fd);
  }

  close(): void {
    this.closeFd();
  }

  private open(): void {
    fs.mkdirSync(this.opts.dir, { recursive: true });
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.sizeBytes = fs.fstatSync(this.fd).size;
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    this.fd = null;
  }

  private rotate(): void {
    this.closeFd();
    const keep = this.opts.keep;
    if (keep <= 0) {
      fs.rmSync(this.file, { force: true });
    } else {
      fs.rmSync(this.pathOf(keep), { force: true });
      for (let i = keep - 1; i >= 0; i--) if (fs.existsSync(this.pathOf(i))) fs.renameSync(this.pathOf(i), this.pathOf(i + 1));
    }
    this.open();
  }
}
