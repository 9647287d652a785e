// Password changes: own change (current password required) and administrator reset (forced change); policy, sessions, audit.
import { PASSWORD_THROTTLED } from '../../../common/accounts';
import { englishOf, msg, type ServerMessage } from '../../../common/messages';
import { fieldError } from '../../../common/schema';
import type { UserInfo } from '../../../common/api';
import { ErrorKind } from '../../../common/errors';
import type { UserRow } from '../../../storage/repositories';
import { hashPassword, toUserInfo, verifyPassword } from '../auth';
import { ApiError } from '../errors';
import type { Principal } from '../router';
import type { ApiDeps } from '../routes/deps';
import { checkPassword } from './policy';

function refused(field: string, m: ServerMessage): ApiError {
  return ApiError.validation([fieldError(field, m)], `invalid body: ${field} ${englishOf(m)}`);
}

/** Throws the policy's refusal of a new password for the user, naming the field. */
function enforcePolicy(field: string, password: string, user: UserRow): void {
  const r = checkPassword(password, user.username);
  if (r) throw refused(field, r.msg);
}

/**
 * The signed-in user changes their own password. The current one is required; the new one must pass the policy and
 * differ from it. Every other session of the user ends (their event streams close and their live streams are cut:
 * tickets are per user, the console of this session asks for new ones); this session stays. Audited, failures too.
 */
export async function changeOwnPassword(d: ApiDeps, p: Principal, body: { currentPassword: string; newPassword: string }, ip: string): Promise<UserInfo> {
  const user = await d.store.users.get(p.user.id);
  if (!user) throw ApiError.notFound(msg('user.not_found', { id: p.user.id }));
  const fail = async (e: ApiError, reason: string) => {
    await d.audit.record({
      actor: p,
      action: 'user.password_change_failed',
      targetType: 'user',
      targetId: user.id,
      detail: { username: user.username, reason },
      ip,
    });
    return e;
  };
  // Guesses of the current password (from a session left open) are throttled like logins: 5 wrong in 5 minutes lock 60 s.
  const key = `user:${user.id}`;
  const lockMs = d.auth.passwordChecks.begin(key, d.now());
  if (lockMs > 0) {
    const e = new ApiError(ErrorKind.Forbidden, msg('password.throttled', { seconds: Math.ceil(lockMs / 1000) }));
    throw await fail(e, PASSWORD_THROTTLED);
  }
  let currentOk = false;
  try {
    currentOk = await verifyPassword(body.currentPassword, user.passwordHash);
  } finally {
    d.auth.passwordChecks.end(key, currentOk, d.now());
  }
  if (!currentOk) throw await fail(refused('currentPassword', msg('password.current_wrong')), 'password.current_wrong');
  if (body.newPassword === body.currentPassword) throw await fail(refused('newPassword', msg('password.unchanged')), 'password.unchanged');
  const policy = checkPassword(body.newPassword, user.username);
  if (policy) throw await fail(refused('newPassword', policy.msg), policy.code);

  const passwordHash = await hashPassword(body.newPassword);
  const updated = await d.configLock.run(async () => {
    // Sessions created before passwordChangedMs are refused from the moment the update commits (Sessions.resolveHash),
    // so a crash before the rows are deleted ends them all the same; this session is renewed as of the change.
    const changedMs = d.now();
    const own = await d.store.sessions.get(p.tokenHash);
    if (own) await d.store.sessions.delete(p.tokenHash);
    if (own) await d.store.sessions.create({ ...own, createdMs: changedMs });
    const after = await d.store.users.update(user.id, { passwordHash, mustChangePassword: false, passwordChangedMs: changedMs });
    if (!after) throw ApiError.notFound(msg('user.not_found', { id: user.id }));
    await d.store.sessions.deleteForUser(user.id);
    if (own) await d.store.sessions.create({ ...own, createdMs: changedMs });
    d.events.closeUserExcept(user.id, p.tokenHash);
    d.live.closeUser(user.id);
    await d.audit.record({
      actor: p,
      action: 'user.password_change',
      targetType: 'user',
      targetId: user.id,
      detail: { username: user.username, wasForced: user.mustChangePassword },
      ip,
    });
    return after;
  });
  return toUserInfo(updated);
}

/**
 * An administrator sets a new (temporary) password for a user: it must pass the policy, the user must change it at
 * the next sign-in, and every session, event stream and live stream of the user ends. Audited (never the password).
 */
export async function resetPassword(d: ApiDeps, actor: Principal, userId: number, newPassword: string, ip: string): Promise<UserInfo> {
  const passwordHash = await hashPassword(newPassword);
  const updated = await d.configLock.run(async () => {
    const before = await d.store.users.get(userId);
    if (!before) throw ApiError.notFound(msg('user.not_found', { id: userId }));
    enforcePolicy('newPassword', newPassword, before);
    const after = await d.store.users.update(userId, { passwordHash, mustChangePassword: true, passwordChangedMs: d.now() });
    if (!after) throw ApiError.notFound(msg('user.not_found', { id: userId }));
    await d.store.sessions.deleteForUser(userId);
    d.events.closeUser(userId);
    d.live.closeUser(userId);
    await d.audit.record({ actor, action: 'user.password_reset', targetType: 'user', targetId: userId, detail: { username: after.username }, ip });
    return after;
  });
  return toUserInfo(updated);
}

/** Throws the policy's refusal of a password for a new user (field "password"). */
export function checkNewUserPassword(username: string, password: string): void {
  const r = checkPassword(password, username);
  if (r) throw refused('password', r.msg);
}
