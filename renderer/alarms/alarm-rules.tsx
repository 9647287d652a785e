// Alarms → Linkage rules: list with enable/disable, "fire a test alarm", delete; the rule editor (when → then).
import { can } from '../../common/rights';
import { useEffect, useState } from 'preact/hooks';
import { ALARM_SEVERITIES, ALARM_TYPES, type AlarmRule, type AlarmRuleBody, type AlarmSeverity, type AlarmType } from '../../common/alarms';
import { ROLES, type Role } from '../../common/api';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { useI18n, type Translate } from '../i18n/index';
import { roleKey } from '../labels';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { alarmApi } from './alarm-api';
import { dayKey, sevKey, typeKey } from './labels';

/** The editor's form state (strings for number inputs, so a half-typed value is not lost). */
interface Draft {
  name: string;
  enabled: boolean;
  sourceIds: number[];
  groups: string;
  types: AlarmType[];
  minSeverity: AlarmSeverity;
  scheduleOn: boolean;
  days: number[];
  start: string;
  end: string;
  wallOn: boolean;
  window: string;
  tile: string;
  ptzOn: boolean;
  ptzCamera: string;
  preset: string;
  bookmarkOn: boolean;
  before: string;
  after: string;
  snapshot: boolean;
  sound: boolean;
  desktop: boolean;
  notifyRoles: Role[];
  escalateOn: boolean;
  escalateAfter: string;
  escalateRole: Role;
}

const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutes = (v: string) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(v);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
};

export function draftOf(r: AlarmRule | null): Draft {
  const a = r?.actions ?? {};
  return {
    name: r?.name ?? '',
    enabled: r?.enabled ?? true,
    sourceIds: r?.sourceIds ?? [],
    groups: (r?.groups ?? []).join(', '),
    types: r?.types ?? [],
    minSeverity: r?.minSeverity ?? 'info',
    scheduleOn: !!r?.schedule,
    days: r?.schedule?.days ?? [1, 2, 3, 4, 5],
    start: hhmm(r?.schedule?.startMinute ?? 8 * 60),
    end: hhmm(r?.schedule?.endMinute ?? 18 * 60),
    wallOn: !!a.wall,
    window: String(a.wall?.window ?? 0),
    tile: a.wall?.tile === null || a.wall?.tile === undefined ? '' : String(a.wall.tile),
    ptzOn: !!a.ptz,
    ptzCamera: a.ptz?.cameraId ? String(a.ptz.cameraId) : '',
    preset: String(a.ptz?.presetId ?? 1),
    bookmarkOn: !!a.bookmark,
    before: String(a.bookmark?.beforeS ?? 10),
    after: String(a.bookmark?.afterS ?? 30),
    snapshot: a.snapshot ?? false,
    sound: a.sound ?? true,
    desktop: a.desktop ?? false,
    notifyRoles: a.notify?.roles ?? [],
    escalateOn: !!a.escalate,
    escalateAfter: String(a.escalate?.afterS ?? 60),
    escalateRole: a.escalate?.role ?? 'admin',
  };
}

export function bodyOf(d: Draft): AlarmRuleBody {
  const int = (v: string) => (v.trim() === '' ? NaN : Number(v));
  return {
    name: d.name.trim(),
    enabled: d.enabled,
    sourceIds: d.sourceIds,
    groups: d.groups
      .split(/[,，]/)
      .map((g) => g.trim())
      .filter(Boolean),
    types: d.types,
    minSeverity: d.minSeverity,
    schedule: d.scheduleOn ? { days: [...d.days].sort(), startMinute: minutes(d.start), endMinute: minutes(d.end) } : null,
    actions: {
      wall: d.wallOn ? { window: int(d.window), tile: d.tile === '' ? null : Number(d.tile) } : null,
      ptz: d.ptzOn ? { cameraId: d.ptzCamera ? Number(d.ptzCamera) : null, presetId: int(d.preset) } : null,
      bookmark: d.bookmarkOn ? { cameraId: null, beforeS: int(d.before), afterS: int(d.after) } : null,
      snapshot: d.snapshot,
      sound: d.sound,
      desktop: d.desktop,
      notify: d.notifyRoles.length ? { roles: d.notifyRoles, userIds: [] } : null,
      escalate: d.escalateOn ? { afterS: int(d.escalateAfter), role: d.escalateRole } : null,
    },
  };
}

/** A change to the rules list (then reloaded). */
interface Job {
  (): Promise<unknown>;
}

function toggle<T>(list: readonly T[], v: T, on: boolean): T[] {
  return on ? (list.includes(v) ? [...list] : [...list, v]) : list.filter((x) => x !== v);
}

function ruleSummary(t: Translate, r: AlarmRule, names: (id: number) => string): string {
  const src = r.sourceIds.length || r.groups.length ? [...r.sourceIds.map(names), ...r.groups].join(', ') : t('alarms.rules.anySource');
  const types = r.types.length ? r.types.map((x) => t(typeKey(x))).join(', ') : t('alarms.rules.anyType');
  const when = r.schedule
    ? `${r.schedule.days.map((d) => t(dayKey(d))).join(' ')} ${hhmm(r.schedule.startMinute)}–${hhmm(r.schedule.endMinute)}`
    : t('alarms.rules.always');
  return `${src} · ${types} · ≥ ${t(sevKey(r.minSeverity))} · ${when}`;
}

function actionSummary(t: Translate, r: AlarmRule): string {
  const a = r.actions;
  const parts: string[] = [];
  if (a.wall) parts.push(`${t('alarms.action.wall')} ${a.wall.window}/${a.wall.tile === null ? t('alarms.rule.nextFree') : t('alarms.rule.tileN', { n: a.wall.tile + 1 })}`);
  if (a.ptz) parts.push(`${t('alarms.action.ptz')} ${a.ptz.presetId}`);
  if (a.bookmark) parts.push(`${t('alarms.action.bookmark')} −${a.bookmark.beforeS}s/+${a.bookmark.afterS}s`);
  if (a.snapshot) parts.push(t('alarms.action.snapshot'));
  if (a.sound) parts.push(t('alarms.action.sound'));
  if (a.desktop) parts.push(t('alarms.action.desktop'));
  if (a.notify?.roles.length) parts.push(`${t('alarms.action.notify')} ${a.notify.roles.map((x) => t(roleKey(x))).join(', ')}`);
  if (a.escalate) parts.push(`${t('alarms.action.escalate')} ${a.escalate.afterS}s → ${t(roleKey(a.escalate.role))}`);
  return parts.join(' · ');
}

function RuleEditor({ rule, onDone }: { rule: AlarmRule | null; onDone: (saved: AlarmRule | null) => void }) {
  const { t } = useI18n();
  const services = useServices();
  const cameras = useStore(services.cameras);
  const units = useStore(services.units);
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const fieldError = (path: string) => (error instanceof ApiError ? error.fields.find((f) => f.path === path || f.path.startsWith(`${path}.`))?.message : undefined);
  const sources = [...[...cameras.values()].map((c) => ({ id: c.id, name: c.name })), ...[...units.values()].map((u) => ({ id: u.id, name: u.callsign }))];

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
          <div class="check-list" data-field="sourceIds">
            {sources.map((s) => (
              <label key={s.id} class="check">
                <input type="checkbox" name="sourceIds" value={s.id} checked={d.sourceIds.includes(s.id)} onChange={(e) => set('sourceIds', toggle(d.sourceIds, s.id, e.currentTarget.checked))} /> {s.name}
              </label>
            ))}
          </div>
          <small class="field-hint">{t('alarms.rule.sourcesHint')}</small>
          {err('sourceIds')}
        </div>
        <label>
          <span>{t('alarms.rule.groups')}</span>
          <input name="groups" value={d.groups} onInput={(e) => set('groups', e.currentTarget.value)} />
          <small class="field-hint">{t('alarms.rule.groupsHint')}</small>
        </label>
        <div class="rule-field">
          <span>{t('alarms.rule.types')}</span>
          <div class="check-list" data-field="types">
            {ALARM_TYPES.map((x) => (
              <label key={x} class="check">
                <input type="checkbox" name="types" value={x} checked={d.types.includes(x)} onChange={(e) => set('types', toggle(d.types, x, e.currentTarget.checked))} /> {t(typeKey(x))}
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
          <input type="checkbox" name="scheduleOn" checked={d.scheduleOn} onChange={(e) => set('scheduleOn', e.currentTarget.checked)} /> {t('alarms.rule.schedule')}
        </label>
        {d.scheduleOn ? (
          <div class="rule-schedule">
            <div class="check-list" data-field="days" aria-label={t('alarms.rule.days')}>
              {[1, 2, 3, 4, 5, 6, 0].map((day) => (
                <label key={day} class="check">
                  <input type="checkbox" name="days" value={day} checked={d.days.includes(day)} onChange={(e) => set('days', toggle(d.days, day, e.currentTarget.checked))} /> {t(dayKey(day))}
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
          <input type="checkbox" name="bookmarkOn" checked={d.bookmarkOn} onChange={(e) => set('bookmarkOn', e.currentTarget.checked)} /> {t('alarms.rule.bookmark')}
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
                <input type="checkbox" name="notifyRoles" value={r} checked={d.notifyRoles.includes(r)} onChange={(e) => set('notifyRoles', toggle(d.notifyRoles, r, e.currentTarget.checked))} />{' '}
                {t(roleKey(r))}
              </label>
            ))}
          </div>
        </div>
        <label class="check">
          <input type="checkbox" name="escalateOn" checked={d.escalateOn} onChange={(e) => set('escalateOn', e.currentTarget.checked)} /> {t('alarms.rule.escalate')}
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
                <strong>{r.name}</strong> <span class={`chip ${r.enabled ? 'chip-ok' : ''}`}>{r.enabled ? t('alarms.rules.enabled') : t('alarms.rules.disabled')}</span>
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
