// One run's hold on a StreamSource, shared by the recorder and the relay: open() with an abort signal, release() exactly once.
import { msg, type ServerMessage } from '../common/messages';
import { SourceUnavailable, type StreamInput, type StreamSource } from './stream-source';
import { redactSecrets } from './ffmpeg-launcher';

/** Why a source could not be opened, for the status: the adapter's reason, or the error's text (redacted). */
export interface OpenFailure {
  msg: ServerMessage;
  permanent: boolean;
  /** For the log. */
  text: string;
}

export function openFailure(err: unknown): OpenFailure {
  if (err instanceof SourceUnavailable) return { msg: err.reason, permanent: err.permanent, text: err.reason.code };
  const text = redactSecrets(err instanceof Error ? err.message : String(err));
  return { msg: msg('status.stopped_detail', { detail: text.slice(0, 200) }), permanent: false, text };
}

/**
 * open() before a run, release() after it, in every case: after the run's ffmpeg ended, after open() failed, or when the
 * owner closes while open() is still pending (then the signal is aborted and release() follows open()'s settling).
 */
export class SourceHold {
  private readonly ac = new AbortController();
  private released = false;
  private settled: Promise<unknown> = Promise.resolve();

  constructor(private readonly source: StreamSource) {}

  open(): Promise<StreamInput> {
    const p = this.source.open(this.ac.signal);
    this.settled = p.catch(() => undefined);
    return p;
  }

  /** Aborts a pending open() and releases once it has settled. */
  async abort(): Promise<void> {
    this.ac.abort();
    await this.settled;
    this.release();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      this.source.release();
    } catch {
      // an adapter's release never stops the recorder
    }
  }
}
