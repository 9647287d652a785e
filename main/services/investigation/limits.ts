// The investigation service's range limits and checks, and how an actor is named in its rows.
import { msg } from '../../../common/messages';
import { DomainError } from '../../platform/errors';
import type { Actor } from '../contracts';

const DAY_MS = 86_400_000;
/** Longest range a timeline request may cover. */
export const MAX_TIMELINE_MS = 62 * DAY_MS;
/** Longest export range. */
export const MAX_EXPORT_MS = 24 * 3_600_000;

export function actorName(a: Actor): string {
  return a.kind === 'user' ? a.username : `system:${a.reason}`;
}

export function checkRange(startMs: number, endMs: number, maxMs: number, what: string): void {
  if (!(endMs > startMs)) throw DomainError.field('endMs', msg('range.end_after_start'));
  if (endMs - startMs > maxMs)
    throw DomainError.field(
      'endMs',
      msg('range.max_hours', { hours: Math.round(maxMs / 3_600_000) }),
      `invalid body: endMs ${what} may span at most ${Math.round(maxMs / 3_600_000)} h`,
    );
}
