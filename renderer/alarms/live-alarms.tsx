// Alarms → Live: open alarms by severity and time (critical unacknowledged flash), the selected alarm's details, and "raise alarm".
import { can } from '../../common/rights';
import { useMemo, useState } from 'preact/hooks';
import { ALARM_SEVERITIES, type Alarm, type AlarmSeverity } from '../../common/alarms';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { alarmApi } from './alarm-api';
import { compareAlarms } from './alarm-center';
import { AlarmDetail } from './alarm-detail';
import { causeKey, SEV_ICON, sevKey, similarAlarms, stateKey, typeKey } from './labels';
import { SourceOptions } from './source-options';
import { consoleAlarms } from './use-alarms';

export function AlarmRow({ alarm, selected, onSelect }: { alarm: Alarm; selected: boolean; onSelect: () => void }) {
  const { t } = useI18n();
  const flashing = alarm.state === 'new' && (alarm.severity === 'critical' || alarm.type === 'sos');
  return (
    <tr
      class={`alarm-row sev-${alarm.severity}${selected ? ' selected' : ''}${flashing ? ' flashing' : ''}`}
      data-alarm-id={alarm.id}
      data-type={alarm.type}
      data-state={alarm.state}
      data-count={alarm.count}
      aria-selected={selected}
      tabIndex={0}
      onClick={onSelect}
      onKeyDown={(e) => e.key === 'Enter' && onSelect()}
    >
      <td>
        <span class={`sev-badge sev-${alarm.severity}`}>
          <span aria-hidden="true">{SEV_ICON[alarm.severity]}</span> {t(sevKey(alarm.severity))}
        </span>
      </td>
      <td>{formatDateTime(alarm.lastMs)}</td>
      <td data-cause={alarm.cause ?? undefined}>
        {t(typeKey(alarm.type))}
        {alarm.cause ? <span class="alarm-cause"> · {t(causeKey(alarm.cause))}</span> : null}
        {alarm.test ? <span class="chip">{t('alarms.list.test')}</span> : null}
      </td>
      <td>{alarm.sourceName}</td>
      <td class="num">{alarm.count > 1 ? t('alarms.list.count', { count: alarm.count }) : ''}</td>
      <td>{t(stateKey(alarm.state))}</td>
      <td>{alarm.handler ?? ''}</td>
    </tr>
  );
}

export function AlarmTableHead() {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        <th>{t('alarms.col.severity')}</th>
        <th>{t('alarms.col.time')}</th>
        <th>{t('alarms.col.type')}</th>
        <th>{t('alarms.col.source')}</th>
        <th>{t('alarms.col.count')}</th>
        <th>{t('alarms.col.state')}</th>
        <th>{t('alarms.col.handler')}</th>
      </tr>
    </thead>
  );
}

function RaiseForm({ onDone }: { onDone: (a: Alarm | null) => void }) {
  const { t } = useI18n();
  const services = useServices();
  const selected = useStore(services.selectedCamera);
  const [sourceId, setSourceId] = useState<string>(selected ? String(selected) : '');
  const [severity, setSeverity] = useState<AlarmSeverity>('major');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const a = await alarmApi.raise({ sourceId: sourceId ? Number(sourceId) : null, severity, message: message.trim() });
      services.toasts.show((tt) => tt('alarms.raised', { id: a.id }));
      onDone(a);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="raise-form panel" onSubmit={(e) => void submit(e)} aria-label={t('alarms.raise.title')}>
      <h3 class="panel-subheader">{t('alarms.raise.title')}</h3>
      <label>
        <span>{t('alarms.raise.source')}</span>
        <select name="sourceId" value={sourceId} onChange={(e) => setSourceId(e.currentTarget.value)}>
          <option value="">{t('alarms.raise.noSource')}</option>
          <SourceOptions />
        </select>
      </label>
      <label>
        <span>{t('alarms.raise.severity')}</span>
        <select name="severity" value={severity} onChange={(e) => setSeverity(e.currentTarget.value as AlarmSeverity)}>
          {ALARM_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(sevKey(s))}
            </option>
          ))}
        </select>
      </label>
      <label class="field-wide">
        <span>{t('alarms.raise.message')}</span>
        <input name="message" required maxLength={1000} value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
      </label>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <div class="alarm-buttons">
        <button type="submit" class="primary" disabled={!message.trim()}>
          {t('alarms.raise.submit')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t('alarms.rule.cancel')}
        </button>
      </div>
    </form>
  );
}

export function LiveAlarms() {
  const { t } = useI18n();
  const services = useServices();
  const center = useMemo(() => consoleAlarms(services), [services.events]);
  const map = useStore(center.alarms);
  const syncError = useStore(center.error);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [raising, setRaising] = useState(false);
  const open = useMemo(() => [...map.values()].filter((a) => a.state !== 'closed').sort(compareAlarms), [map]);
  const selected = selectedId !== null ? (map.get(selectedId) ?? null) : null;
  const canRaise = can(services.user, 'alarms.handle');
  return (
    <div class="alarms-live">
      <div class="alarms-list-pane">
        <div class="alarms-toolbar">
          {canRaise ? (
            <button type="button" class="danger" onClick={() => setRaising((r) => !r)}>
              {t('alarms.raise.button')}
            </button>
          ) : null}
        </div>
        {raising ? (
          <RaiseForm
            onDone={(a) => {
              setRaising(false);
              if (a) setSelectedId(a.id);
            }}
          />
        ) : null}
        {syncError ? <ErrorBanner error={syncError} /> : null}
        {open.length === 0 ? (
          <p class="muted empty">{t('alarms.list.empty')}</p>
        ) : (
          <div class="table-scroll">
            <table class="data-table alarms-table" data-testid="live-alarms">
              <AlarmTableHead />
              <tbody>
                {open.map((a) => (
                  <AlarmRow key={a.id} alarm={a} selected={a.id === selectedId} onSelect={() => setSelectedId(a.id)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div class="alarms-detail-pane">
        <AlarmDetail alarm={selected} similar={selected ? similarAlarms(selected, open) : []} />
      </div>
    </div>
  );
}
