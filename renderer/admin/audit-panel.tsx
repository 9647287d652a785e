// Admin → Audit log: newest entries first, filtered by action, user and time range.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditQuery } from '../../common/api';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime, fromDateTimeLocalValue } from '../format';
import { useI18n } from '../i18n/index';
import { AUDIT_ACTIONS } from '../labels';
import { useServices } from '../services';
import { auditCsv, auditCsvName, downloadCsv } from '../cases/audit-csv';
import { auditActionLabel, auditDetailFields, auditTargetLabel, type AuditField } from './audit-words';
import { AuditChainStatus } from './audit-chain-state';

const LIMIT = 500;
const DETAIL_FIELDS_SHOWN = 4;

interface Filters {
  action: string;
  username: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { action: '', username: '', from: '', to: '' };

function toQuery(f: Filters): AuditQuery {
  const q: AuditQuery = { limit: LIMIT };
  if (f.action) q.action = f.action;
  if (f.username.trim()) q.username = f.username.trim();
  const startMs = fromDateTimeLocalValue(f.from);
  const endMs = fromDateTimeLocalValue(f.to);
  if (startMs !== null) q.startMs = startMs;
  if (endMs !== null) q.endMs = endMs;
  return q;
}

/** The detail cell: each field labelled in the user's language (the first few; "+N more" shows the rest). */
function DetailCell({ fields }: { fields: AuditField[] }) {
  const { t } = useI18n();
  const [all, setAll] = useState(false);
  const shown = all ? fields : fields.slice(0, DETAIL_FIELDS_SHOWN);
  return (
    <td class="audit-detail" title={fields.map((f) => `${f.label}: ${f.value}`).join('\n')}>
      {shown.map((f) => (
        <span class="audit-field" key={f.key} data-field={f.key}>
          <span class="audit-field-label">{f.label}</span> {f.value}
        </span>
      ))}
      {fields.length > shown.length ? (
        <button type="button" class="link audit-more" onClick={() => setAll(true)}>
          {t('auditlog.more', { count: fields.length - shown.length })}
        </button>
      ) : null}
    </td>
  );
}

export function AuditPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const actionOptions = Object.keys(AUDIT_ACTIONS)
    .map((a) => ({ value: a, label: auditActionLabel(t, a) }))
    .sort((x, y) => x.label.localeCompare(y.label, i18n.locale));
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const search = (f: Filters) => {
    setBusy(true);
    setError(null);
    api
      .audit(toQuery(f))
      .then(setEntries, setError)
      .finally(() => setBusy(false));
  };
  useEffect(() => search(EMPTY), []);
  const set = (k: keyof Filters, v: string) => setDraft((d) => ({ ...d, [k]: v }));

  return (
    <div class="admin-panel audit-panel">
      <header class="panel-header">
        <h2>{t('audit.title')}</h2>
        {entries ? <span class="muted">{t('audit.count', { count: entries.length })}</span> : null}
      </header>
      <form
        class="filter-bar"
        onSubmit={(e) => {
          e.preventDefault();
          search(draft);
        }}
      >
        <label>
          <span>{t('audit.filter.action')}</span>
          <select name="action" value={draft.action} onChange={(e) => set('action', e.currentTarget.value)}>
            <option value="">{t('common.all')}</option>
            {actionOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('audit.filter.user')}</span>
          <input name="username" value={draft.username} autoComplete="off" spellcheck={false} onInput={(e) => set('username', e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('audit.filter.from')}</span>
          <input name="from" type="datetime-local" value={draft.from} onInput={(e) => set('from', e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('audit.filter.to')}</span>
          <input name="to" type="datetime-local" value={draft.to} onInput={(e) => set('to', e.currentTarget.value)} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('audit.filter.apply')}
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(EMPTY);
              search(EMPTY);
            }}
          >
            {t('audit.filter.reset')}
          </button>
          <button
            type="button"
            name="audit-csv"
            disabled={!entries || entries.length === 0}
            onClick={() => {
              if (!entries || entries.length === 0) return;
              // The signed checkpoints covering the shown entries, and the site's public key, go with them.
              const startMs = Math.min(...entries.map((e) => e.tsMs));
              const endMs = Math.max(...entries.map((e) => e.tsMs)) + 1;
              Promise.all([api.auditCheckpoints({ startMs, endMs }), api.siteKey()]).then(
                ([checkpoints, key]) => downloadCsv(auditCsvName(i18n, Date.now()), auditCsv(i18n, entries, { checkpoints, key })),
                setError,
              );
            }}
          >
            {t('investigation.audit.csv')}
          </button>
        </div>
      </form>
      <AuditChainStatus />
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {entries === null ? (
        !error ? (
          <p class="muted">{t('common.loading')}</p>
        ) : null
      ) : entries.length === 0 ? (
        <p class="muted empty">{t('audit.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table audit-table">
            <thead>
              <tr>
                <th>{t('audit.col.time')}</th>
                <th>{t('audit.col.user')}</th>
                <th>{t('audit.col.action')}</th>
                <th>{t('audit.col.target')}</th>
                <th>{t('audit.col.detail')}</th>
                <th>{t('audit.col.ip')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                return (
                  <tr key={e.id} data-action={e.action}>
                    <td class="mono nowrap">{formatDateTime(e.tsMs)}</td>
                    <td>{e.username ?? <span class="muted">{t('audit.system')}</span>}</td>
                    <td class={/failed|rejected/.test(e.action) || e.action === 'deny' ? 'error-text' : ''}>{auditActionLabel(t, e.action)}</td>
                    <td>{auditTargetLabel(t, e)}</td>
                    <DetailCell fields={auditDetailFields(i18n, e)} />
                    <td class="mono">{e.ip ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
