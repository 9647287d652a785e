// Admin → Audit log: the audit chain's state (intact up to entry N or broken at entry N, last signed checkpoint, site key fingerprint).
import { useEffect, useState } from 'preact/hooks';
import type { AuditChainProblem, AuditChainState } from '../../common/audit-chain';
import { assertNever } from '../../common/events';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime } from '../format';
import { useI18n, type Translate } from '../i18n/index';
import { useServices } from '../services';

/** The first entry a problem names. */
function problemId(p: AuditChainProblem): number {
  return 'id' in p ? p.id : p.fromId;
}

export function problemText(t: Translate, p: AuditChainProblem): string {
  switch (p.kind) {
    case 'changed':
      return t('auditchain.problem.changed', { id: p.id });
    case 'rehashed':
      return t('auditchain.problem.rehashed', { id: p.id, nextId: p.nextId });
    case 'removed':
      return t('auditchain.problem.removed', { fromId: p.fromId, toId: p.toId });
    case 'inserted':
      return t('auditchain.problem.inserted', { id: p.id });
    case 'rewritten':
      return t('auditchain.problem.rewritten', { id: p.id, checkpointId: p.checkpointId });
    case 'truncated':
      return t('auditchain.problem.truncated', { fromId: p.fromId, toId: p.toId, checkpointId: p.checkpointId });
    default:
      return assertNever(p);
  }
}

export function AuditChainStatus() {
  const { t } = useI18n();
  const { api } = useServices();
  const [state, setState] = useState<AuditChainState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const check = () => {
    setState(null);
    setError(null);
    api.auditChain().then(setState, setError);
  };
  useEffect(check, []);
  const broken = state && !state.ok;
  return (
    <section
      class={`audit-chain ${state ? (state.ok ? 'ok' : 'broken') : ''}`}
      aria-live="polite"
      data-chain={state ? (state.ok ? 'ok' : 'broken') : 'checking'}
    >
      <h3>{t('auditchain.title')}</h3>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {!state && !error ? <p class="muted">{t('auditchain.checking')}</p> : null}
      {state ? (
        <>
          {state.problem ? (
            <p class="error-text audit-chain-verdict">
              {t('auditchain.broken', { id: problemId(state.problem), upTo: state.verifiedUpToId })} {problemText(t, state.problem)}
            </p>
          ) : (
            <p class={`audit-chain-verdict ${broken ? 'error-text' : ''}`}>{t('auditchain.ok', { count: state.rows, lastId: state.lastId })}</p>
          )}
          {state.badSignatures.length ? <p class="error-text">{t('auditchain.badSignatures', { count: state.badSignatures.length })}</p> : null}
          <p>
            {state.lastCheckpoint
              ? t('auditchain.lastCheckpoint', { time: formatDateTime(state.lastCheckpoint.tsMs), lastId: state.lastCheckpoint.lastId })
              : t('auditchain.noCheckpoint')}
            {state.afterLastCheckpoint > 0 ? <span class="muted"> · {t('auditchain.afterCheckpoint', { count: state.afterLastCheckpoint })}</span> : null}
          </p>
          <p>
            {t('auditchain.fingerprint')}:{' '}
            {/* Unbroken, as `npm run verify-audit` and the export verifier print it: compared side by side, and one hash rather than words. */}
            <span class="mono audit-chain-fingerprint">{state.keyFingerprint}</span>
          </p>
          <button type="button" onClick={check}>
            {t('auditchain.recheck')}
          </button>
        </>
      ) : null}
    </section>
  );
}
