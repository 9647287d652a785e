// Alarms → History: search by time, source, type, state and handler; details of a result; CSV export of the same search.
import { useState } from 'preact/hooks';
import { ALARM_STATES, ALARM_TYPES, type Alarm, type AlarmQuery } from '../../common/alarms';
import { ErrorBanner } from '../components/error-banner';
import { downloadCsv } from '../csv';
import { fromDateTimeLocalValue } from '../format';
import { useI18n } from '../i18n/index';
import { alarmApi } from './alarm-api';
import { alarmsCsv, alarmsCsvName } from './alarm-csv';
import { AlarmDetail } from './alarm-detail';
import { AlarmRow, AlarmTableHead } from './live-alarms';
import { stateKey, typeKey } from './labels';
import { SourceOptions } from './source-options';

interface Filters {
  from: string;
  to: string;
  sourceId: string;
  type: string;
  state: string;
  handler: string;
}
const EMPTY: Filters = { from: '', to: '', sourceId: '', type: '', state: '', handler: '' };

export function toAlarmQuery(f: Filters): AlarmQuery {
  const q: AlarmQuery = { limit: 1000 };
  const startMs = fromDateTimeLocalValue(f.from);
  const endMs = fromDateTimeLocalValue(f.to);
  if (startMs !== null) q.startMs = startMs;
  if (endMs !== null) q.endMs = endMs;
  if (f.sourceId) q.sourceId = Number(f.sourceId);
  if (f.type) q.type = f.type as AlarmQuery['type'];
  if (f.state) q.state = f.state as AlarmQuery['state'];
  if (f.handler.trim()) q.handler = f.handler.trim();
  return q;
}

export function AlarmHistory() {
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [results, setResults] = useState<Alarm[] | null>(null);
  const [selected, setSelected] = useState<Alarm | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Filters, v: string) => setDraft((d) => ({ ...d, [k]: v }));

  const search = async () => {
    setBusy(true);
    setError(null);
    try {
      setResults((await alarmApi.list(toAlarmQuery(draft))).alarms);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const exportCsv = async () => {
    setError(null);
    try {
      // The server sends the rows (and audits the export); the console words them in the user's language and zone.
      const rows = await alarmApi.exportRows(toAlarmQuery(draft));
      downloadCsv(alarmsCsvName(i18n, Date.now()), alarmsCsv(i18n, rows));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="alarms-history">
      <div class="alarms-list-pane">
        <form
          class="filter-bar"
          onSubmit={(e) => {
            e.preventDefault();
            void search();
          }}
        >
          <label>
            <span>{t('alarms.history.from')}</span>
            <input name="from" type="datetime-local" value={draft.from} onInput={(e) => set('from', e.currentTarget.value)} />
          </label>
          <label>
            <span>{t('alarms.history.to')}</span>
            <input name="to" type="datetime-local" value={draft.to} onInput={(e) => set('to', e.currentTarget.value)} />
          </label>
          <label>
            <span>{t('alarms.history.source')}</span>
            <select name="sourceId" value={draft.sourceId} onChange={(e) => set('sourceId', e.currentTarget.value)}>
              <option value="">{t('alarms.history.any')}</option>
              <SourceOptions />
            </select>
          </label>
          <label>
            <span>{t('alarms.history.type')}</span>
            <select name="type" value={draft.type} onChange={(e) => set('type', e.currentTarget.value)}>
              <option value="">{t('alarms.history.any')}</option>
              {ALARM_TYPES.map((x) => (
                <option key={x} value={x}>
                  {t(typeKey(x))}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('alarms.history.state')}</span>
            <select name="state" value={draft.state} onChange={(e) => set('state', e.currentTarget.value)}>
              <option value="">{t('alarms.history.any')}</option>
              {[...ALARM_STATES, 'open' as const].map((x) => (
                <option key={x} value={x}>
                  {t(stateKey(x))}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('alarms.history.handler')}</span>
            <input name="handler" value={draft.handler} autoComplete="off" spellcheck={false} onInput={(e) => set('handler', e.currentTarget.value)} />
          </label>
          <div class="filter-actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('alarms.history.search')}
            </button>
            <button type="button" onClick={() => void exportCsv()}>
              {t('alarms.history.export')}
            </button>
          </div>
        </form>
        {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
        {results === null ? null : results.length === 0 ? (
          <p class="muted empty">{t('alarms.history.empty')}</p>
        ) : (
          <>
            <p class="muted history-count">{t('alarms.history.results', { count: results.length })}</p>
            <div class="table-scroll">
              <table class="data-table alarms-table" data-testid="alarm-history">
                <AlarmTableHead />
                <tbody>
                  {results.map((a) => (
                    <AlarmRow key={a.id} alarm={a} selected={a.id === selected?.id} onSelect={() => setSelected(a)} />
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
      <div class="alarms-detail-pane">
        <AlarmDetail
          alarm={selected}
          onChanged={(a) => {
            setSelected(a);
            setResults((r) => (r ? r.map((x) => (x.id === a.id ? a : x)) : r));
          }}
        />
      </div>
    </div>
  );
}
