// bench:live helper: waits until sources are live in the hub (their HTTP-FLV stream answers 200).
import type { LiveTicket } from '../../common/api';
import type { ApiClient } from './http';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until every source answers its HTTP-FLV stream with 200 (its publish is in the hub). */
export async function waitLive(api: ApiClient, base: string, ids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(ids);
  const last = new Map<number, string>();
  while (pending.size > 0) {
    for (const id of [...pending]) {
      const ticket = await api.call<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: id, stream: 'main' });
      const ctrl = new AbortController();
      try {
        const res = await fetch(base + ticket.flvUrl, { signal: AbortSignal.any([ctrl.signal, AbortSignal.timeout(5000)]) });
        if (res.status === 200) pending.delete(id);
        else last.set(id, `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      } catch (e) {
        last.set(id, (e as Error).message);
      } finally {
        ctrl.abort();
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline)
      throw new Error(
        `${pending.size} source(s) not live after ${timeoutMs / 1000} s: ${[...pending]
          .slice(0, 5)
          .map((id) => `${id}: ${last.get(id) ?? '?'}`)
          .join('; ')}`,
      );
    await sleep(500);
  }
}
