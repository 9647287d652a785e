// Admin → Access (权限): grant or deny a right to a role, user, group or node on a node, channel or own units; groups and members; the two questions.
import { useEffect, useState } from 'preact/hooks';
import { EFFECTS, PRINCIPAL_KINDS, SCOPE_KINDS, type Effect, type GrantCreate, type PrincipalKind, type ScopeKind } from '../../common/access';
import { ROLES, type Role } from '../../common/api';
import * as E from '../../common/endpoints';
import type { Right } from '../../common/rights';
import { ErrorBanner } from '../components/error-banner';
import { useNodeName } from '../devices/org-tree';
import { useI18n } from '../i18n/index';
import { roleKey } from '../labels';
import { useServices } from '../services';
import { loadAccessData, rightKey, wording, type AccessData, type SectionProps } from './access-data';
import { AccessGroups } from './access-groups';
import { AccessQuestions, RightSelect } from './access-questions';
import './access.css';

export function AccessPanel() {
  const { t } = useI18n();
  const { api } = useServices();
  const nodeName = useNodeName();
  const [data, setData] = useState<AccessData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = () => loadAccessData(api).then(setData, setError);
  useEffect(() => void reload(), []);
  if (!data) return error ? <ErrorBanner error={error} /> : null;
  const w = wording(t, data, nodeName);
  const remove = async (id: number) => {
    setError(null);
    try {
      await api.call(E.deleteAccessGrantsByid, { params: { id } });
      await reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="access-panel">
      <h2>{t('access.title')}</h2>
      <p class="muted">{t('access.intro')}</p>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <GrantForm data={data} onSaved={reload} onError={setError} />
      <h3>{t('access.grants')}</h3>
      <table class="table access-grants">
        <thead>
          <tr>
            <th>{t('access.principal')}</th>
            <th>{t('access.right')}</th>
            <th>{t('access.scope')}</th>
            <th>{t('access.effect')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.grants.map((g) => (
            <tr key={g.id} data-grant-id={g.id} class={g.effect === 'deny' ? 'access-deny' : undefined}>
              <td>{w.who(g)}</td>
              <td>{t(rightKey(g.right))}</td>
              <td>{w.where(g)}</td>
              <td>{w.effect(g.effect)}</td>
              <td>
                <button type="button" class="btn btn-small" onClick={() => void remove(g.id)}>
                  {t('access.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AccessGroups data={data} onSaved={reload} onError={setError} />
      <AccessQuestions data={data} />
    </section>
  );
}

function GrantForm({ data, onSaved, onError }: SectionProps) {
  const { t } = useI18n();
  const { api } = useServices();
  const nodeName = useNodeName();
  const [principalKind, setPrincipalKind] = useState<PrincipalKind>('user');
  const [role, setRole] = useState<Role>('officer');
  const [principalId, setPrincipalId] = useState<number | null>(null);
  const [right, setRight] = useState<Right>('live.view');
  const [scopeKind, setScopeKind] = useState<ScopeKind>('node');
  const [scopeId, setScopeId] = useState<number | null>(null);
  const [effect, setEffect] = useState<Effect>('allow');
  const [busy, setBusy] = useState(false);

  const principals: Array<{ id: number; label: string }> =
    principalKind === 'user'
      ? data.users.map((u) => ({ id: u.id, label: u.username }))
      : principalKind === 'group'
        ? data.groups.map((g) => ({ id: g.id, label: g.name }))
        : data.nodes.map((n) => ({ id: n.id, label: `${'  '.repeat(n.path.length - 1)}${nodeName(n)}` }));
  const scopes: Array<{ id: number; label: string }> =
    scopeKind === 'node'
      ? data.nodes.map((n) => ({ id: n.id, label: `${'  '.repeat(n.path.length - 1)}${nodeName(n)}` }))
      : data.channels.map((c) => ({ id: c.id, label: c.name }));
  const pid = principalId ?? principals[0]?.id;
  const sid = scopeId ?? scopes[0]?.id;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    onError(null);
    const body: GrantCreate = {
      principalKind,
      right,
      scopeKind,
      effect,
      ...(principalKind === 'role' ? { role } : pid !== undefined ? { principalId: pid } : {}),
      ...(scopeKind !== 'own' && sid !== undefined ? { scopeId: sid } : {}),
    };
    try {
      await api.call(E.postAccessGrants, { body });
      await onSaved();
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="access-grant-form form-row" noValidate onSubmit={submit}>
      <label>
        {t('access.principalKind')}
        <select
          name="principalKind"
          value={principalKind}
          onChange={(e) => {
            setPrincipalKind(e.currentTarget.value as PrincipalKind);
            setPrincipalId(null);
          }}
        >
          {PRINCIPAL_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`access.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('access.principal')}
        {principalKind === 'role' ? (
          <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(roleKey(r))}
              </option>
            ))}
          </select>
        ) : (
          <select name="principalId" value={String(pid ?? '')} onChange={(e) => setPrincipalId(Number(e.currentTarget.value))}>
            {principals.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.label}
              </option>
            ))}
          </select>
        )}
      </label>
      <RightSelect name="right" value={right} onChange={setRight} />
      <label>
        {t('access.scopeKind')}
        <select
          name="scopeKind"
          value={scopeKind}
          onChange={(e) => {
            setScopeKind(e.currentTarget.value as ScopeKind);
            setScopeId(null);
          }}
        >
          {SCOPE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`access.scope.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {scopeKind !== 'own' ? (
        <label>
          {t('access.scope')}
          <select name="scopeId" value={String(sid ?? '')} onChange={(e) => setScopeId(Number(e.currentTarget.value))}>
            {scopes.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        {t('access.effect')}
        <select name="effect" value={effect} onChange={(e) => setEffect(e.currentTarget.value as Effect)}>
          {EFFECTS.map((x) => (
            <option key={x} value={x}>
              {t(`access.effect.${x}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {t('access.add')}
      </button>
    </form>
  );
}
