// The alarm rule editor (when → then): sources picked from the device tree, groups from the existing ones, types, schedule, actions.
import { useState } from 'preact/hooks';
import { ALARM_SEVERITIES, ALARM_TYPES, type AlarmRule, type AlarmSeverity } from '../../common/alarms';
import { ROLES, type Role } from '../../common/api';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/index';
import { roleKey } from '../labels';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { alarmApi } from './alarm-api';
import { dayKey, sevKey, typeKey } from './labels';
import { bodyOf, draftOf, toggle, type Draft } from './rule-draft';
import { GroupPicker, SourcePicker } from './source-picker';

export function RuleEditor({ rule, onDone }: { rule: AlarmRule | null; onDone: (saved: AlarmRule | null) => void }) {
  const { t } = useI18n();
  const services = useServices();
  const cameras = useStore(services.cameras);
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const fieldError = (path: string) => {
    const f = error instanceof ApiError ? error.fields.find((x) => x.path === path || x.path.startsWith(`${path}.`)) : undefined;
    return f && error instanceof ApiError ? error.fieldMessage(f.path) : undefined;
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = bodyOf(d);
      const saved = rule ? await alarmApi.updateRule(rule.id, body) : await alarmApi.createRule(body);
      services.toasts.show((tt) => tt('alarms.rules.saved', { name: saved.name }));
      onDone(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const err = (path: string) => {
    const m = fieldError(path);
    return m ? (
      <div class="field-error" role="alert">
        {m}
      </div>
    ) : null;
  };

  return (
    <form class="rule-editor panel" onSubmit={(e) => void save(e)} aria-label={rule ? rule.name : t('alarms.rules.new')}>
      <label class="field-wide">
        <span>{t('alarms.rule.name')}</span>
        <input name="name" required maxLength={100} value={d.name} onInput={(e) => set('name', e.currentTarget.value)} />
        {err('name')}
      </label>
      <label class="check">
        <input type="checkbox" name="enabled" checked={d.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} /> {t('alarms.rules.enabled')}
      </label>
      <fieldset>
        <legend>{t('alarms.rules.when')}</legend>
        <div class="rule-field">
          <span>{t('alarms.rule.sources')}</span>
          <SourcePicker selected={d.sourceIds} onChange={(ids) => set('sourceIds', ids)} />
          <small class="field-hint">{t('alarms.rule.sourcesHint')}</small>
          {err('sourceIds')}
        </div>
        <div class="rule-field">
          <span>{t('alarms.rule.groups')}</span>
          <GroupPicker selected={d.groups} onChange={(groups) => set('groups', groups)} />
          <small class="field-hint">{t('alarms.rule.groupsHint')}</small>
          {err('groups')}
        </div>
        <div class="rule-field">
          <span>{t('alarms.rule.types')}</span>
          <div class="check-list" data-field="types">
            {ALARM_TYPES.map((x) => (
              <label key={x} class="check">
                <input
                  type="checkbox"
                  name="types"
                  value={x}
                  checked={d.types.includes(x)}
                  onChange={(e) => set('types', toggle(d.types, x, e.currentTarget.checked))}
                />{' '}
                {t(typeKey(x))}
              </label>
            ))}
          </div>
          <small class="field-hint">{t('alarms.rule.typesHint')}</small>
        </div>
        <label>
          <span>{t('alarms.rule.minSeverity')}</span>
          <select name="minSeverity" value={d.minSeverity} onChange={(e) => set('minSeverity', e.currentTarget.value as AlarmSeverity)}>
            {ALARM_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(sevKey(s))}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" name="scheduleOn" checked={d.scheduleOn} onChange={(e) => set('scheduleOn', e.currentTarget.checked)} />{' '}
          {t('alarms.rule.schedule')}
        </label>
        {d.scheduleOn ? (
          <div class="rule-schedule">
            <div class="check-list" data-field="days" aria-label={t('alarms.rule.days')}>
              {[1, 2, 3, 4, 5, 6, 0].map((day) => (
                <label key={day} class="check">
                  <input
                    type="checkbox"
                    name="days"
                    value={day}
                    checked={d.days.includes(day)}
                    onChange={(e) => set('days', toggle(d.days, day, e.currentTarget.checked))}
                  />{' '}
                  {t(dayKey(day))}
                </label>
              ))}
            </div>
            <label>
              <span>{t('alarms.rule.start')}</span>
              <input type="time" name="start" value={d.start} onInput={(e) => set('start', e.currentTarget.value)} />
            </label>
            <label>
              <span>{t('alarms.rule.end')}</span>
              <input type="time" name="end" value={d.end} onInput={(e) => set('end', e.currentTarget.value)} />
            </label>
            {err('schedule')}
          </div>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{t('alarms.rules.then')}</legend>
        <label class="check">
          <input type="checkbox" name="wallOn" checked={d.wallOn} onChange={(e) => set('wallOn', e.currentTarget.checked)} /> {t('alarms.rule.wall')}
        </label>
        {d.wallOn ? (
          <div class="rule-sub">
            <label>
              <span>{t('alarms.rule.window')}</span>
              <input type="number" name="window" min={0} value={d.window} onInput={(e) => set('window', e.currentTarget.value)} />
              <small class="field-hint">{t('alarms.rule.windowHint')}</small>
            </label>
            <label>
              <span>{t('alarms.rule.tile')}</span>
              <select name="tile" value={d.tile} onChange={(e) => set('tile', e.currentTarget.value)}>
                <option value="">{t('alarms.rule.nextFree')}</option>
                {Array.from({ length: 16 }, (_, i) => (
                  <option key={i} value={i}>
                    {t('alarms.rule.tileN', { n: i + 1 })}
                  </option>
                ))}
              </select>
            </label>
            {err('actions.wall')}
          </div>
        ) : null}
        <label class="check">
          <input type="checkbox" name="ptzOn" checked={d.ptzOn} onChange={(e) => set('ptzOn', e.currentTarget.checked)} /> {t('alarms.rule.ptz')}
        </label>
        {d.ptzOn ? (
          <div class="rule-sub">
            <label>
              <span>{t('alarms.rule.ptzCamera')}</span>
              <select name="ptzCamera" value={d.ptzCamera} onChange={(e) => set('ptzCamera', e.currentTarget.value)}>
                <option value="">{t('alarms.rule.alarmSource')}</option>
                {[...cameras.values()].map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t('alarms.rule.preset')}</span>
              <input type="number" name="preset" min={1} value={d.preset} onInput={(e) => set('preset', e.currentTarget.value)} />
            </label>
            {err('actions.ptz')}
          </div>
        ) : null}
        <label class="check">
          <input type="checkbox" name="bookmarkOn" checked={d.bookmarkOn} onChange={(e) => set('bookmarkOn', e.currentTarget.checked)} />{' '}
          {t('alarms.rule.bookmark')}
        </label>
        {d.bookmarkOn ? (
          <div class="rule-sub">
            <label>
              <span>{t('alarms.rule.before')}</span>
              <input type="number" name="before" min={0} max={3600} value={d.before} onInput={(e) => set('before', e.currentTarget.value)} />
            </label>
            <label>
              <span>{t('alarms.rule.after')}</span>
              <input type="number" name="after" min={0} max={3600} value={d.after} onInput={(e) => set('after', e.currentTarget.value)} />
            </label>
            {err('actions.bookmark')}
          </div>
        ) : null}
        <label class="check">
          <input type="checkbox" name="snapshot" checked={d.snapshot} onChange={(e) => set('snapshot', e.currentTarget.checked)} /> {t('alarms.rule.snapshot')}
        </label>
        <label class="check">
          <input type="checkbox" name="sound" checked={d.sound} onChange={(e) => set('sound', e.currentTarget.checked)} /> {t('alarms.rule.sound')}
        </label>
        <label class="check">
          <input type="checkbox" name="desktop" checked={d.desktop} onChange={(e) => set('desktop', e.currentTarget.checked)} /> {t('alarms.rule.desktop')}
        </label>
        <div class="rule-field">
          <span>{t('alarms.rule.notify')}</span>
          <div class="check-list" data-field="notifyRoles">
            {ROLES.map((r) => (
              <label key={r} class="check">
                <input
                  type="checkbox"
                  name="notifyRoles"
                  value={r}
                  checked={d.notifyRoles.includes(r)}
                  onChange={(e) => set('notifyRoles', toggle(d.notifyRoles, r, e.currentTarget.checked))}
                />{' '}
                {t(roleKey(r))}
              </label>
            ))}
          </div>
        </div>
        <label class="check">
          <input type="checkbox" name="escalateOn" checked={d.escalateOn} onChange={(e) => set('escalateOn', e.currentTarget.checked)} />{' '}
          {t('alarms.rule.escalate')}
        </label>
        {d.escalateOn ? (
          <div class="rule-sub">
            <label>
              <span>{t('alarms.rule.escalateAfter')}</span>
              <input type="number" name="escalateAfter" min={1} value={d.escalateAfter} onInput={(e) => set('escalateAfter', e.currentTarget.value)} />
            </label>
            <label>
              <span>{t('alarms.rule.escalateRole')}</span>
              <select name="escalateRole" value={d.escalateRole} onChange={(e) => set('escalateRole', e.currentTarget.value as Role)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(roleKey(r))}
                  </option>
                ))}
              </select>
            </label>
            {err('actions.escalate')}
          </div>
        ) : null}
      </fieldset>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <div class="alarm-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {t('alarms.rule.save')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t('alarms.rule.cancel')}
        </button>
      </div>
    </form>
  );
}
