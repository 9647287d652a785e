// Admin → Access: what the panel loads (grants, groups, users, nodes, channels) and how it words a principal, a scope and a reason.
import type { AccessReason, GrantView, GroupView } from '../../common/access';
import type { UserInfo } from '../../common/api';
import type { ChannelView, OrgNodeView } from '../../common/devices';
import * as E from '../../common/endpoints';
import type { Right } from '../../common/rights';
import type { ApiClient } from '../api';
import type { MessageKey, Translate } from '../i18n/index';
import { roleKey } from '../labels';

export interface AccessData {
  grants: GrantView[];
  groups: GroupView[];
  users: UserInfo[];
  nodes: OrgNodeView[];
  channels: ChannelView[];
}

export async function loadAccessData(api: ApiClient): Promise<AccessData> {
  const [grants, groups, users, tree, channels] = await Promise.all([
    api.call(E.getAccessGrants),
    api.call(E.getAccessGroups),
    api.call(E.getUsers),
    api.call(E.getOrgTree),
    api.call(E.getChannels),
  ]);
  return { grants, groups, users, nodes: tree.nodes, channels };
}

export const rightKey = (r: Right) => `access.right.${r}` as MessageKey;

/** Words for the principal, scope and effect of a grant or reason. */
export function wording(t: Translate, d: AccessData, nodeName: (n: OrgNodeView) => string) {
  const node = (id: number | null) => {
    const n = d.nodes.find((x) => x.id === id);
    return n ? nodeName(n) : `#${id}`;
  };
  const who = (g: Pick<GrantView, 'principalKind' | 'role' | 'principalId'>): string => {
    switch (g.principalKind) {
      case 'role':
        return `${t('access.kind.role')}: ${g.role ? t(roleKey(g.role)) : ''}`;
      case 'user':
        return `${t('access.kind.user')}: ${d.users.find((u) => u.id === g.principalId)?.username ?? `#${g.principalId}`}`;
      case 'group':
        return `${t('access.kind.group')}: ${d.groups.find((x) => x.id === g.principalId)?.name ?? `#${g.principalId}`}`;
      case 'node':
        return `${t('access.kind.node')}: ${node(g.principalId)}`;
    }
  };
  const where = (g: Pick<GrantView, 'scopeKind' | 'scopeId'>): string => {
    switch (g.scopeKind) {
      case 'node':
        return `${t('access.scope.node')}: ${node(g.scopeId)}`;
      case 'channel':
        return `${t('access.scope.channel')}: ${d.channels.find((c) => c.id === g.scopeId)?.name ?? `#${g.scopeId}`}`;
      case 'own':
        return t('access.scope.own');
    }
  };
  const effect = (e: GrantView['effect']) => t(e === 'allow' ? 'access.effect.allow' : 'access.effect.deny');
  const reason = (r: AccessReason) => t('access.reason', { effect: effect(r.effect), who: who(r), where: where(r) });
  return { who, where, effect, reason, node };
}

/** Work the panel runs (a call, then a reload). */
export interface Job<T = unknown> {
  (): Promise<T>;
}

/** What a section of the panel is given: the data, a reload after a change, and where errors go. */
export interface SectionProps {
  data: AccessData;
  onSaved: Job<void>;
  onError(e: unknown): void;
}
