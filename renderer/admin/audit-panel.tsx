// Admin → Audit log: newest entries first, filtered by action, user and time range.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditQuery } from '../../common/api';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime, formatFileStamp, fromDateTimeLocalValue } from '../format';
import { useI18n, type Translate } from '../i18n/index';
import { AUDIT_ACTIONS, auditActionKey } from '../labels';
import { useServices } from '../services';
import { auditCsv, downloadCsv } from '../cases/audit-csv';

const LIMIT = 500;

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

function actionLabel(t: Translate, action: string): string {
  const key = auditActionKey(action);
  return key ? t(key) : action;
}

/** The target's name as recorded in the entry's detail (camera name, username), if any. */
function targetName(detail: unknown): string | null {
  if (typeof detail !== 'object' || detail === null) return null;
  const d = detail as { name?: unknown; username?: unknown };
  if (typeof d.name === 'string') return d.name;
  if (typeof d.username === 'string') return d.username;
  return null;
}

function targetLabel(t: Translate, e: AuditEntry): string {
  if (!e.targetType) return '';
  const id = e.targetId ?? '';
  const base =
    e.targetType === 'camera'
      ? t('audit.target.camera', { id })
      : e.targetType === 'user'
        ? t('audit.target.user', { id })
        : t('audit.target.other', { type: e.targetType, id });
  const name = targetName(e.detail);
  return name ? `${base} · ${name}` : base;
}

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

export function AuditPanel() {
  const { t } = useI18n();
  const { api } = useServices();
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
            {Object.keys(AUDIT_ACTIONS).map((a) => (
              <option key={a} value={a}>
                {actionLabel(t, a)}
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
          <button type="button" name="audit-csv" disabled={!entries || entries.length === 0} onClick={() => entries && downloadCsv(`argus-audit-${formatFileStamp(Date.now())}.csv`, auditCsv(entries))}>
            {t('investigation.audit.csv')}
          </button>
        </div>
      </form>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {entries === null ? (
        !error ? <p class="muted">{t('common.loading')}</p> : null
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
                const detail = detailText(e.detail);
                return (
                  <tr key={e.id} data-action={e.action}>
                    <td class="mono nowrap">{formatDateTime(e.tsMs)}</td>
                    <td>{e.username ?? <span class="muted">{t('audit.system')}</span>}</td>
                    <td class={e.action.endsWith('failed') || e.action === 'deny' ? 'error-text' : ''} title={e.action}>
                      {actionLabel(t, e.action)}
                    </td>
                    <td>{targetLabel(t, e)}</td>
                    <td class="mono cell-detail" title={detail}>
                      {detail}
                    </td>
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
