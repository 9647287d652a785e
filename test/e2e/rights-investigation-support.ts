// Grants and home nodes for the investigation rights tests, through the access-control API (admin).
import type { InvServer } from './investigation-server';

export interface GrantBody {
  principalKind: 'user' | 'role' | 'group' | 'node';
  principalId?: number;
  role?: string;
  right: string;
  scopeKind: 'node' | 'channel' | 'own';
  scopeId?: number;
  effect: 'allow' | 'deny';
}

export async function grant(srv: InvServer, admin: string, body: GrantBody): Promise<void> {
  const r = await srv.api('POST', '/api/v1/access/grants', admin, body);
  if (r.status !== 201) throw new Error(`grant ${JSON.stringify(body)}: ${r.status} ${JSON.stringify(r.body)}`);
}

export async function setHomeNode(srv: InvServer, admin: string, userId: number, nodeId: number): Promise<void> {
  const r = await srv.api('PUT', `/api/v1/access/users/${userId}/node`, admin, { nodeId });
  if (r.status >= 300) throw new Error(`home node of user ${userId}: ${r.status} ${JSON.stringify(r.body)}`);
}
