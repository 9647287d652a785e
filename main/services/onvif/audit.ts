// Audit entries for ONVIF actions on a camera: a user's (with client address) or the system's (with its reason).
import type { Actor } from '../contracts';
import type { FeatureContext } from '../features';
import type { UserActor } from './control';

export type OnvifAudit = (actor: Actor | UserActor, action: string, targetId: number, detail: Record<string, unknown>) => Promise<void>;

/** Records on the camera; a failed write is logged, never thrown. */
export function onvifAudit(ctx: Pick<FeatureContext, 'audit' | 'log'>): OnvifAudit {
  return async (actor, action, targetId, detail) => {
    const who = actor.kind === 'user' ? { userId: actor.userId, username: actor.username } : { userId: null, username: null };
    const ip = actor.kind === 'user' ? ((actor as UserActor).ip ?? null) : null;
    await ctx.audit
      .record({ actor: who, action, targetType: 'camera', targetId, detail: actor.kind === 'system' ? { ...detail, by: actor.reason } : detail, ip })
      .catch((err) => ctx.log(`[onvif] audit failed: ${(err as Error).message}`));
  };
}
