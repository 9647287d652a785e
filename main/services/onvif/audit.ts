// Audit entries for ONVIF actions on a camera: a user's (with client address) or the system's (with its reason).
import { actorIdentity, type Actor } from '../../platform/actor';
import type { OnvifContext } from './context';

export type OnvifAudit = (actor: Actor, action: string, targetId: number, detail: Record<string, unknown>) => Promise<void>;

/** Records on the camera; a failed write is logged, never thrown. */
export function onvifAudit(ctx: Pick<OnvifContext, 'audit' | 'log'>): OnvifAudit {
  return async (actor, action, targetId, detail) => {
    const who = actorIdentity(actor);
    const ip = actor.kind === 'user' ? (actor.ip ?? null) : null;
    await ctx.audit
      .record({ actor: who, action, targetType: 'camera', targetId, detail: actor.kind === 'system' ? { ...detail, by: actor.reason } : detail, ip })
      .catch((err) => ctx.log(`[onvif] audit failed: ${(err as Error).message}`));
  };
}
