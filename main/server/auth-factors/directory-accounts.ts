// Directory accounts: a user found in the directory signs in with their directory password; their Argus user is created or updated, role from the groups.
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import type { Log } from '../../../common/log';
import type { Store, UserRow } from '../../../storage/repositories';
import type { AuditLog } from '../../services/audit-log';
import type { SystemActor } from '../../platform/actor';
import { ApiError } from '../errors';
import { DirectoryUnavailable, normaliseDn, type DirectorySignIn } from './ldap';

/** The access groups a directory sign-in keeps in step (the access service): those with a directory name. */
export interface DirectoryGroups {
  listGroups(): Promise<Array<{ id: number; directoryName: string | null }>>;
  syncMemberships(userId: number, managed: readonly number[], wanted: ReadonlySet<number>, actor: SystemActor): Promise<void>;
}

/** The password hash of a directory account: not a scrypt hash, so no local password ever matches it. */
export const DIRECTORY_PASSWORD_HASH = 'directory:ldap';
const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;

export class DirectoryAccounts {
  constructor(
    private readonly dir: DirectorySignIn,
    private readonly store: Pick<Store, 'users' | 'factors'>,
    private readonly audit: AuditLog,
    private readonly now: () => number,
    private readonly log: Log,
    /** Access groups (absent in tests of sign-in alone); read at sign-in, after the service is built. */
    private readonly groups: () => DirectoryGroups | null = () => null,
  ) {}

  /** The directory answers for a user name unknown locally and for directory accounts; local accounts never ask it. */
  async handles(user: UserRow | null): Promise<boolean> {
    return user === null || (await this.store.factors.directoryAccount(user.id)) !== null;
  }

  /**
   * Signs a user in against the directory: their Argus user (created on the first sign-in, role refreshed each time),
   * or null for a wrong password or an unknown user (the caller refuses and audits as for local accounts). Throws 503
   * naming the cause when the directory cannot be asked, 403 when the user is in no mapped group (audited).
   */
  async signIn(username: string, password: string, ip: string): Promise<UserRow | null> {
    let r;
    try {
      r = await this.dir.authenticate(username, password);
    } catch (err) {
      if (!(err instanceof DirectoryUnavailable)) throw err;
      this.log.warn('directory sign-in unavailable', { reason: err.reason });
      await this.audit.record({ actor: null, action: 'auth.directory_unavailable', targetType: 'user', detail: { username, cause: err.reason }, ip });
      throw new ApiError(ErrorKind.Unavailable, msg('ldap.unavailable', { cause: err.reason }));
    }
    switch (r.kind) {
      case 'bad_credentials':
        return null;
      case 'no_group': {
        const existing = await this.store.users.getByUsername(username);
        await this.audit.record({
          actor: { userId: existing?.id ?? null, username },
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: existing?.id,
          detail: { username, reason: 'no_group', source: 'ldap', dn: r.dn, groups: r.groups },
          ip,
        });
        throw new ApiError(ErrorKind.Forbidden, msg('ldap.no_group'));
      }
      case 'ok':
        return this.upsert(username, r.dn, r.groups, r.role, ip, r.argusGroups);
    }
  }

  private async upsert(username: string, dn: string, groups: string[], role: UserRow['role'], ip: string, argusGroups: string[]): Promise<UserRow | null> {
    // Argus user names are restricted; a directory name outside them cannot become an Argus account.
    if (!USERNAME.test(username)) return null;
    const nowMs = this.now();
    let user = await this.store.users.getByUsername(username);
    if (!user) {
      user = await this.store.users.create({ username, passwordHash: DIRECTORY_PASSWORD_HASH, role, displayName: '', disabled: false, createdMs: nowMs });
      await this.audit.record({
        actor: { userId: null, username: null },
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        detail: { username, role, source: 'ldap', dn, groups },
        ip,
      });
    } else if (user.role !== role) {
      const from = user.role;
      user = (await this.store.users.update(user.id, { role })) ?? user;
      await this.audit.record({
        actor: null,
        action: 'user.directory_sync',
        targetType: 'user',
        targetId: user.id,
        detail: { username, from, to: role, dn, groups },
        ip,
      });
    }
    await this.store.factors.putDirectoryAccount({ userId: user.id, dn, groups, syncedMs: nowMs });
    await this.syncGroups(user, [...groups, ...argusGroups]);
    return user;
  }

  /**
   * Access groups follow the directory at each sign-in: the user is a member of exactly those groups whose directory
   * name is one of their directory groups or names one of their mappings' `argusGroup` (compared as DNs), added and
   * removed, audited by the access service. Groups without a directory name are left alone.
   */
  private async syncGroups(user: UserRow, dirGroups: string[]): Promise<void> {
    const access = this.groups();
    if (!access) return;
    const mine = new Set(dirGroups.map(normaliseDn));
    const managed = (await access.listGroups()).filter((g) => g.directoryName !== null && g.directoryName !== '');
    const wanted = new Set(managed.filter((g) => mine.has(normaliseDn(g.directoryName ?? ''))).map((g) => g.id));
    await access.syncMemberships(
      user.id,
      managed.map((g) => g.id),
      wanted,
      { kind: 'system', reason: `directory sign-in of ${user.username}` },
    );
  }
}
