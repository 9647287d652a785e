// Audit trail writer: who did what to which target, when and from where (never secrets).
import type { Store } from '../../storage/repositories';
import type { Actor } from '../platform/actor';

/** Who acted, as the audit trail accepts it: an Actor, an adapter's session (its user), or the bare identity. */
export type AuditActor = Actor | { user: { id: number; username: string } } | { userId: number | null; username: string | null };

export interface AuditRecord {
  /** The user who acted, or null (or a system Actor) for the system / an anonymous client. */
  actor: AuditActor | null;
  /** Dotted verb, e.g. 'auth.login', 'camera.update'. */
  action: string;
  targetType?: string;
  targetId?: string | number;
  detail?: unknown;
  ip?: string | null;
}

export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async record(r: AuditRecord): Promise<void> {
    let userId: number | null = null;
    let username: string | null = null;
    if (r.actor && 'user' in r.actor) {
      userId = r.actor.user.id;
      username = r.actor.user.username;
    } else if (r.actor && 'kind' in r.actor) {
      if (r.actor.kind === 'user') ({ userId, username } = r.actor);
    } else if (r.actor) {
      userId = r.actor.userId;
      username = r.actor.username;
    }
    await this.store.audit.append({
      tsMs: this.now(),
      userId,
      username,
      action: r.action,
      targetType: r.targetType ?? null,
      targetId: r.targetId === undefined ? null : String(r.targetId),
      detail: r.detail ?? null,
      ip: r.ip ?? null,
    });
  }
}
