// Alarms → Linkage rules: list with enable/disable, "fire a test alarm", delete; opens the rule editor (rule-editor.tsx).
import { can } from '../../common/rights';
import { useEffect, useState } from 'preact/hooks';
import type { AlarmRule } from '../../common/alarms';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { alarmApi } from './alarm-api';
import { RuleEditor } from './rule-editor';
import { actionSummary, ruleSummary } from './rule-summary';

/** A change to the rules list (then reloaded). */
interface Job {
  (): Promise<unknown>;
}

export function AlarmRules() {
  const { t } = useI18n();
  const services = useServices();
  const cameras = useStore(services.cameras);
  const units = useStore(services.units);
  const [rules, setRules] = useState<AlarmRule[] | null>(null);
  const [editing, setEditing] = useState<AlarmRule | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const canEdit = can(services.user, 'alarmRules.edit');
  const names = (id: number) => cameras.get(id)?.name ?? units.get(id)?.callsign ?? `#${id}`;

  const load = async () => {
    try {
      setRules(await alarmApi.rules());
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => void load(), []);

  const act = async (fn: Job) => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="alarm-rules">
      <div class="alarms-toolbar">
        {canEdit ? (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            {t('alarms.rules.new')}
          </button>
        ) : null}
      </div>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {editing ? (
        <RuleEditor
          rule={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) void load();
          }}
        />
      ) : null}
      {rules === null ? null : rules.length === 0 ? (
        <p class="muted empty">{t('alarms.rules.empty')}</p>
      ) : (
        <ul class="rule-list" data-testid="alarm-rules">
          {rules.map((r) => (
            <li key={r.id} class={`rule-item${r.enabled ? '' : ' disabled'}`} data-rule-id={r.id} data-enabled={r.enabled}>
              <div class="rule-head">
                <strong>{r.name}</strong>{' '}
                <span class={`chip ${r.enabled ? 'chip-ok' : ''}`}>{r.enabled ? t('alarms.rules.enabled') : t('alarms.rules.disabled')}</span>
              </div>
              <div class="muted">
                {t('alarms.rules.when')}: {ruleSummary(t, r, names)}
              </div>
              <div class="muted">
                {t('alarms.rules.then')}: {actionSummary(t, r)}
              </div>
              {canEdit ? (
                <div class="alarm-buttons">
                  <button type="button" class="small" data-action="toggle" onClick={() => void act(() => alarmApi.updateRule(r.id, { enabled: !r.enabled }))}>
                    {r.enabled ? t('alarms.rules.disable') : t('alarms.rules.enable')}
                  </button>
                  <button type="button" class="small" data-action="edit" onClick={() => setEditing(r)}>
                    {t('alarms.rules.edit')}
                  </button>
                  <button
                    type="button"
                    class="small"
                    data-action="test"
                    onClick={() =>
                      void act(async () => {
                        const a = await alarmApi.testRule(r.id);
                        services.toasts.show((tt) => tt('alarms.rules.tested', { id: a.id }));
                      })
                    }
                  >
                    {t('alarms.rules.test')}
                  </button>
                  <button
                    type="button"
                    class="small danger"
                    data-action="delete"
                    onClick={() => {
                      if (confirm(t('alarms.rules.deleteConfirm', { name: r.name }))) void act(() => alarmApi.deleteRule(r.id));
                    }}
                  >
                    {t('alarms.rules.delete')}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
