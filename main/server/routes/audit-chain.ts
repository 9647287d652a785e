// Routes /audit/chain and /audit/checkpoints (audit.view) and /site-key (any signed-in user): the audit chain's state and the site's public key.
import * as E from '../../../common/endpoints';
import type { AuditChainState, AuditCheckpointView, SitePublicKey } from '../../../common/audit-chain';
import { msg } from '../../../common/messages';
import { ErrorKind } from '../../../common/errors';
import { DomainError } from '../../platform/errors';
import type { AuditChain } from '../../services/audit-chain';
import { bind, type Route } from '../router';
import type { DepsRef } from './deps';

function chainOf(deps: DepsRef): AuditChain {
  const chain = deps().auditChain;
  if (!chain) throw new DomainError(ErrorKind.Unavailable, msg('server.feature_unavailable', { feature: 'audit chain' }));
  return chain;
}

export function auditChainRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getAuditChain, async (): Promise<AuditChainState> => {
      const r = await chainOf(deps).verify();
      return {
        ok: r.ok,
        rows: r.rows,
        lastId: r.lastId,
        verifiedUpToId: r.verifiedUpToId,
        problem: r.problem,
        badSignatures: r.badSignatures,
        checkpoints: r.checkpoints,
        lastCheckpoint: r.lastCheckpoint && {
          id: r.lastCheckpoint.id,
          lastId: r.lastCheckpoint.lastId,
          tsMs: r.lastCheckpoint.tsMs,
          reason: r.lastCheckpoint.reason,
        },
        afterLastCheckpoint: r.afterLastCheckpoint,
        keyFingerprint: r.keyFingerprint,
        verifiedMs: deps().now(),
        durationMs: Math.round(r.durationMs),
      };
    }),
    bind(E.getAuditCheckpoints, async ({ query }): Promise<AuditCheckpointView[]> => {
      chainOf(deps);
      const all = await deps().store.audit.checkpoints();
      const startMs = query.startMs ?? -Infinity;
      const endMs = query.endMs ?? Infinity;
      const inside = all.filter((c) => c.tsMs >= startMs && c.tsMs < endMs);
      const next = all.find((c) => c.tsMs >= endMs);
      return next ? [...inside, next] : inside;
    }),
    bind(E.getSitePublicKey, (): SitePublicKey => {
      const k = chainOf(deps).publicKey;
      return { algorithm: 'Ed25519', pem: k.pem, fingerprint: k.fingerprint };
    }),
  ];
}
