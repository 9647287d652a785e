// Routes /auth/sessions (own) and /users/:id/sessions (users.manage): list and end sessions; ending closes their streams and is audited.
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import type { SessionView } from '../../../common/sessions';
import { ApiError } from '../errors';
import { principalOf, bind, type Principal, type Route } from '../router';
import type { ApiDeps, DepsRef } from './deps';

/**
 * Closes what a session holds open: its event stream, and its live streams when the live gateway can tell them apart
 * (LiveGateway.closeSession, feat/enforce-live; until then its tickets end with their short lifetime).
 */
export function closeSessionStreams(d: ApiDeps, tokenHash: string): void {
  d.events.closeSession(tokenHash);
  const live = d.live as { closeSession?: (tokenHash: string) => void };
  live.closeSession?.(tokenHash);
}

async function listOf(d: ApiDeps, userId: number, current: string | null): Promise<SessionView[]> {
  const list = await d.auth.sessions.list(userId);
  return list.map(({ tokenHash, ...e }) => ({ ...e, current: tokenHash === current }));
}

async function endSession(d: ApiDeps, actor: Principal, userId: number, sessionId: string, ip: string): Promise<void> {
  const tokenHash = await d.auth.sessions.find(userId, sessionId);
  if (!tokenHash) throw ApiError.notFound(msg('auth.session_not_found'));
  await d.auth.sessions.delete(tokenHash);
  closeSessionStreams(d, tokenHash);
  await d.audit.record({
    actor,
    action: 'auth.session_revoke',
    targetType: 'user',
    targetId: userId,
    detail: { sessionId, own: userId === actor.user.id, current: tokenHash === actor.tokenHash },
    ip,
  });
}

export function sessionRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getAuthSessions, (ctx) => {
      const p = principalOf(ctx);
      return listOf(deps(), p.user.id, p.tokenHash);
    }),
    bind(E.deleteAuthSessionsBysessionId, async (ctx) => {
      const p = principalOf(ctx);
      await endSession(deps(), p, p.user.id, ctx.params.sessionId, ctx.ip);
    }),
    bind(E.getUsersByidSessions, async (ctx) => {
      const d = deps();
      if (!(await d.store.users.get(ctx.params.id))) throw ApiError.notFound(msg('user.not_found', { id: ctx.params.id }));
      return listOf(d, ctx.params.id, principalOf(ctx).tokenHash);
    }),
    bind(E.deleteUsersByidSessionsBysessionId, async (ctx) => {
      await endSession(deps(), principalOf(ctx), ctx.params.id, ctx.params.sessionId, ctx.ip);
    }),
  ];
}
