// Alarm details: facts, linked video one click away, the workflow (acknowledge → handle with notes → close) and the linkage outcomes.
import { useState } from 'preact/hooks';
import type { Alarm, AlarmTransition } from '../../common/alarms';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/index';
import { roleKey } from '../labels';
import { canOnSourceOf } from '../rights';
import { useServices } from '../services';
import { findSource } from '../state/sources';
import { alarmApi } from './alarm-api';
import { actionKey, causeKey, outcomeKey, SEV_ICON, sevKey, stateKey, typeKey } from './labels';
import { outcomeText } from './outcome-words';
import { statusReason } from '../i18n/server-messages';

export function AlarmDetail({
  alarm,
  similar = [],
  onChanged,
  onShowVideo,
}: {
  alarm: Alarm | null;
  /** Unacknowledged alarms like this one (same type and cause), this one included: offered for acknowledging together. */
  similar?: readonly Alarm[];
  onChanged?: (a: Alarm) => void;
  onShowVideo?: () => void;
}) {
  const { t, lang } = useI18n();
  const services = useServices();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!alarm) return <p class="muted alarm-detail-empty">{t('alarms.detail.none')}</p>;
  const nameOf = (id: number) => findSource(services.cameras.get(), services.units.get(), id)?.name ?? null;
  // Handling needs alarms.handle on the alarm's source (the camera's or unit's myRights), not only somewhere.
  const canWork = canOnSourceOf(services, alarm.sourceId, 'alarms.handle') && alarm.state !== 'closed';

  const step = async (action: AlarmTransition) => {
    setBusy(true);
    setError(null);
    try {
      const a = await alarmApi.step(alarm.id, { action, note: note.trim() ? note.trim() : null });
      setNote('');
      onChanged?.(a);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const ackSimilar = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await alarmApi.stepMany({ ids: similar.map((a) => a.id), action: 'acknowledge', note: note.trim() ? note.trim() : null });
      setNote('');
      services.toasts.show((tt) => tt('alarms.ackSimilar.done', { count: r.alarms.length }));
      if (r.refused.length > 0)
        setError(
          new Error(
            t('alarms.ackSimilar.refused', {
              count: r.refused.length,
              reasons: r.refused.map((x) => `#${x.id} ${statusReason(lang, x.reason, x.message)}`).join('; '),
            }),
          ),
        );
      const mine = r.alarms.find((a) => a.id === alarm.id);
      if (mine) onChanged?.(mine);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="alarm-detail" data-alarm-id={alarm.id} data-state={alarm.state} aria-label={t('alarms.detail.title', { id: alarm.id })}>
      <header class="panel-header">
        <h2>
          <span class={`sev-badge sev-${alarm.severity}`}>
            <span aria-hidden="true">{SEV_ICON[alarm.severity]}</span> {t(sevKey(alarm.severity))}
          </span>{' '}
          {t(typeKey(alarm.type))} · {alarm.sourceName}
        </h2>
        {alarm.cause ? (
          <p class="alarm-cause" data-cause={alarm.cause}>
            {t(causeKey(alarm.cause))}
          </p>
        ) : null}
        <span class="muted">{t('alarms.detail.title', { id: alarm.id })}</span>
      </header>
      <dl class="alarm-facts">
        <dt>{t('alarms.col.state')}</dt>
        <dd class="alarm-state">
          {t(stateKey(alarm.state))}
          {alarm.escalatedToRole ? ` · ${t('alarms.list.escalated', { role: t(roleKey(alarm.escalatedToRole)) })}` : ''}
        </dd>
        <dt>{t('alarms.detail.first')}</dt>
        <dd>{formatDateTime(alarm.firstMs)}</dd>
        <dt>{t('alarms.detail.last')}</dt>
        <dd>
          {formatDateTime(alarm.lastMs)} {alarm.count > 1 ? <span class="alarm-count">{t('alarms.list.count', { count: alarm.count })}</span> : null}
        </dd>
        {alarm.lat !== null && alarm.lon !== null ? (
          <>
            <dt>{t('alarms.detail.location')}</dt>
            <dd>
              {alarm.lat.toFixed(5)}, {alarm.lon.toFixed(5)}
            </dd>
          </>
        ) : null}
        {alarm.message && !alarm.cause ? (
          <>
            <dt>{t('alarms.detail.message')}</dt>
            <dd>{statusReason(lang, alarm.reason, alarm.message)}</dd>
          </>
        ) : null}
        {alarm.reporter ? (
          <>
            <dt>{t('alarms.detail.reporter')}</dt>
            <dd class="alarm-reporter">{alarm.reporter}</dd>
          </>
        ) : null}
      </dl>
      {alarm.occurrences.length > 0 ? (
        <>
          <h3 class="panel-subheader">{t('alarms.detail.occurrences')}</h3>
          <ol class="alarm-occurrences">
            {alarm.occurrences.map((o, i) => (
              <li key={i} data-severity={o.severity}>
                <span class="step-time">{formatDateTime(o.atMs)}</span> {t(sevKey(o.severity))}
                {o.reporter ? ` · ${o.reporter}` : ''}
                {o.message ? ` · ${statusReason(lang, o.reason, o.message)}` : ''}
                {o.lat !== null && o.lon !== null ? ` · ${o.lat.toFixed(5)}, ${o.lon.toFixed(5)}` : ''}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <div class="alarm-buttons">
        {alarm.sourceId !== null ? (
          <button
            type="button"
            class="primary show-video"
            onClick={() => (services.wallRequest.set({ sourceId: alarm.sourceId!, seq: Date.now() }), onShowVideo?.())}
          >
            {t('alarms.detail.showVideo')}
          </button>
        ) : null}
      </div>
      {canWork ? (
        <div class="alarm-workflow">
          <label class="field-wide">
            <span>{t('alarms.detail.note')}</span>
            <textarea
              name="note"
              rows={2}
              maxLength={2000}
              placeholder={t('alarms.detail.notePlaceholder')}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          </label>
          <div class="alarm-buttons">
            {alarm.state === 'new' ? (
              <button type="button" class="primary" data-action="acknowledge" disabled={busy} onClick={() => void step('acknowledge')}>
                {t('alarms.do.acknowledge')}
              </button>
            ) : null}
            {alarm.state === 'new' && similar.length > 1 ? (
              <button
                type="button"
                data-action="acknowledge-similar"
                data-count={similar.length}
                disabled={busy}
                title={t('alarms.do.ackSimilarHint', { sources: similar.map((a) => a.sourceName).join(', ') })}
                onClick={() => void ackSimilar()}
              >
                {t('alarms.do.ackSimilar', { count: similar.length })}
              </button>
            ) : null}
            {alarm.state !== 'in_progress' ? (
              <button type="button" data-action="start" disabled={busy} onClick={() => void step('start')}>
                {t('alarms.do.start')}
              </button>
            ) : null}
            <button type="button" data-action="note" disabled={busy || !note.trim()} onClick={() => void step('note')}>
              {t('alarms.do.note')}
            </button>
            <button type="button" class="danger" data-action="close" disabled={busy} onClick={() => void step('close')}>
              {t('alarms.do.close')}
            </button>
          </div>
        </div>
      ) : null}
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <h3 class="panel-subheader">{t('alarms.detail.steps')}</h3>
      <ol class="alarm-steps">
        {alarm.steps.map((s, i) => (
          <li key={i} data-state={s.state}>
            <span class="step-time">{formatDateTime(s.atMs)}</span> <strong>{t(stateKey(s.state))}</strong> · {s.username ?? t('alarms.detail.system')}
            {s.note ? <div class="step-note">{s.note}</div> : null}
          </li>
        ))}
      </ol>
      <h3 class="panel-subheader">{t('alarms.detail.actions')}</h3>
      {alarm.actions.length === 0 ? (
        <p class="muted">{t('alarms.detail.noActions')}</p>
      ) : (
        <ul class="alarm-actions">
          {alarm.actions.map((a, i) => (
            <li key={i} data-kind={a.kind} data-status={a.status}>
              <span class={`outcome outcome-${a.status}`}>{a.status === 'ok' ? '✓' : a.status === 'failed' ? '✗' : '→'}</span>{' '}
              <strong>{t(actionKey(a.kind))}</strong> {t(outcomeKey(a.status))}: <span class="action-message">{outcomeText(t, a, nameOf)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
