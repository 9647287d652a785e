// Add/edit mobile unit form (callsign, type, officer, group, recording settings); server field errors beside their field.
import { useState } from 'preact/hooks';
import { UNIT_TYPES, type Unit, type UnitCreate, type UnitKey, type UnitType, type UnitUpdate } from '../../common/api';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';
import { unitTypeKey } from '../labels';
import { useServices } from '../services';

export interface UnitFormValues {
  callsign: string;
  type: UnitType;
  officer: string;
  groupName: string;
  enabled: boolean;
  segmentSeconds: string;
  retentionDays: string;
}

const FORM_FIELDS = ['callsign', 'type', 'officer', 'groupName', 'enabled', 'segmentSeconds', 'retentionDays'] as const;

function initialValues(unit: Unit | null): UnitFormValues {
  return {
    callsign: unit?.callsign ?? '',
    type: unit?.type ?? 'vehicle',
    officer: unit?.officer ?? '',
    groupName: unit?.groupName ?? '',
    enabled: unit?.enabled ?? true,
    segmentSeconds: unit ? String(unit.segmentSeconds) : '',
    retentionDays: unit ? String(unit.retentionDays) : '',
  };
}

/** A number field's value for the API: a number when it is one, else the text so the server names the problem. */
function numberValue(v: string): number {
  const trimmed = v.trim();
  const n = Number(trimmed);
  return (trimmed !== '' && Number.isFinite(n) ? n : trimmed) as number;
}

export function unitCreateBody(v: UnitFormValues): UnitCreate {
  const body: UnitCreate = { callsign: v.callsign.trim(), type: v.type, enabled: v.enabled };
  if (v.officer.trim()) body.officer = v.officer.trim();
  if (v.groupName.trim()) body.groupName = v.groupName.trim();
  if (v.segmentSeconds.trim()) body.segmentSeconds = numberValue(v.segmentSeconds);
  if (v.retentionDays.trim()) body.retentionDays = numberValue(v.retentionDays);
  return body;
}

/** Only what changed. */
export function unitUpdateBody(before: Unit, v: UnitFormValues): UnitUpdate {
  const body: UnitUpdate = {};
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
  if (v.callsign.trim() !== before.callsign) body.callsign = v.callsign.trim();
  if (v.type !== before.type) body.type = v.type;
  if (orNull(v.officer) !== before.officer) body.officer = orNull(v.officer);
  if (orNull(v.groupName) !== before.groupName) body.groupName = orNull(v.groupName);
  if (v.enabled !== before.enabled) body.enabled = v.enabled;
  if (v.segmentSeconds.trim() !== String(before.segmentSeconds)) body.segmentSeconds = numberValue(v.segmentSeconds);
  if (v.retentionDays.trim() !== String(before.retentionDays)) body.retentionDays = numberValue(v.retentionDays);
  return body;
}

export function UnitForm(props: {
  unit: Unit | null;
  groups: readonly string[];
  onClose: () => void;
  onCreated: (k: UnitKey) => void;
  onSaved: (u: Unit) => void;
}) {
  const { t } = useI18n();
  const { api } = useServices();
  const { unit } = props;
  const [v, setV] = useState<UnitFormValues>(() => initialValues(unit));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = <K extends keyof UnitFormValues>(k: K, value: UnitFormValues[K]) => setV((old) => ({ ...old, [k]: value }));
  const apiErr = error instanceof ApiError ? error : null;
  const fieldError = (name: string) => apiErr?.fieldMessage(name);
  const unplaced = apiErr?.fields.filter((f) => !(FORM_FIELDS as readonly string[]).includes(f.path)) ?? [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (unit) props.onSaved(await api.updateUnit(unit.id, unitUpdateBody(unit, v)));
      else props.onCreated(await api.createUnit(unitCreateBody(v)));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={unit ? t('unitForm.titleEdit', { name: unit.callsign }) : t('unitForm.titleNew')} onClose={props.onClose} wide>
      <form class="form unit-form" noValidate onSubmit={submit}>
        {error ? <ErrorBanner error={error} fieldsShown /> : null}
        {unplaced.length ? (
          <ul class="field-errors-unplaced">
            {unplaced.map((f) => (
              <li key={f.path}>{f.path ? `${f.path}: ${apiErr?.fieldMessage(f.path)}` : apiErr?.fieldMessage(f.path)}</li>
            ))}
          </ul>
        ) : null}
        <div class="form-grid">
          <Field label={t('unitForm.callsign')} name="callsign" error={fieldError('callsign')} hint={t('unitForm.callsignHint')}>
            <input
              {...fieldProps('callsign', fieldError('callsign'))}
              value={v.callsign}
              maxLength={32}
              autoComplete="off"
              autofocus
              onInput={(e) => set('callsign', e.currentTarget.value)}
            />
          </Field>
          <Field label={t('unitForm.type')} name="type" error={fieldError('type')}>
            <select {...fieldProps('type', fieldError('type'))} value={v.type} onChange={(e) => set('type', e.currentTarget.value as UnitType)}>
              {UNIT_TYPES.map((x) => (
                <option key={x} value={x}>
                  {t(unitTypeKey(x))}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('unitForm.officer')} name="officer" error={fieldError('officer')} hint={t('common.optional')}>
            <input
              {...fieldProps('officer', fieldError('officer'))}
              value={v.officer}
              maxLength={128}
              autoComplete="off"
              onInput={(e) => set('officer', e.currentTarget.value)}
            />
          </Field>
          <Field label={t('field.groupName')} name="groupName" error={fieldError('groupName')} hint={t('common.optional')}>
            <input
              {...fieldProps('groupName', fieldError('groupName'))}
              value={v.groupName}
              list="unit-groups"
              maxLength={128}
              autoComplete="off"
              onInput={(e) => set('groupName', e.currentTarget.value)}
            />
            <datalist id="unit-groups">
              {props.groups.map((g) => (
                <option key={g} value={g} />
              ))}
            </datalist>
          </Field>
          <Field label={t('field.segmentSeconds')} name="segmentSeconds" error={fieldError('segmentSeconds')} hint={unit ? undefined : t('field.defaultHint')}>
            <input
              {...fieldProps('segmentSeconds', fieldError('segmentSeconds'))}
              type="number"
              inputMode="numeric"
              min={2}
              max={600}
              value={v.segmentSeconds}
              onInput={(e) => set('segmentSeconds', e.currentTarget.value)}
            />
          </Field>
          <Field label={t('field.retentionDays')} name="retentionDays" error={fieldError('retentionDays')} hint={unit ? undefined : t('field.defaultHint')}>
            <input
              {...fieldProps('retentionDays', fieldError('retentionDays'))}
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              value={v.retentionDays}
              onInput={(e) => set('retentionDays', e.currentTarget.value)}
            />
          </Field>
          <div class="field field-wide" data-field="enabled">
            <label class="checkbox">
              <input
                {...fieldProps('enabled', fieldError('enabled'))}
                type="checkbox"
                checked={v.enabled}
                onChange={(e) => set('enabled', e.currentTarget.checked)}
              />
              {t('unitForm.enabled')}
            </label>
            {fieldError('enabled') ? (
              <div class="field-error" id="f-enabled-error" role="alert">
                {fieldError('enabled')}
              </div>
            ) : null}
          </div>
        </div>
        {unit ? null : <p class="muted form-note">{t('unitForm.keyNote')}</p>}
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.saving') : unit ? t('common.save') : t('unitForm.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
