// Add/edit camera form (all CameraCreate fields); the password is write-only; server field errors show beside their field.
import { useState } from 'preact/hooks';
import { TRANSPORTS, type Camera, type CameraCreate, type CameraUpdate, type Transport } from '../../common/api';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';
import { transportKey } from '../labels';
import { useServices } from '../services';

interface FormValues {
  name: string;
  url: string;
  subUrl: string;
  username: string;
  password: string;
  clearPassword: boolean;
  transport: Transport;
  enabled: boolean;
  segmentSeconds: string;
  retentionDays: string;
  groupName: string;
  description: string;
}

/** Field names the form shows; server errors for other paths go to the banner. */
const FORM_FIELDS = [
  'name',
  'url',
  'subUrl',
  'username',
  'password',
  'transport',
  'enabled',
  'segmentSeconds',
  'retentionDays',
  'groupName',
  'description',
] as const;

function initialValues(camera: Camera | null): FormValues {
  return {
    name: camera?.name ?? '',
    url: camera?.url ?? '',
    subUrl: camera?.subUrl ?? '',
    username: camera?.username ?? '',
    password: '',
    clearPassword: false,
    transport: camera?.transport ?? 'tcp',
    enabled: camera?.enabled ?? true,
    segmentSeconds: camera ? String(camera.segmentSeconds) : '',
    retentionDays: camera ? String(camera.retentionDays) : '',
    groupName: camera?.groupName ?? '',
    description: camera?.description ?? '',
  };
}

/** A number field's value for the API: a number when it is one, else the text so the server names the problem. */
function numberValue(v: string): number {
  const trimmed = v.trim();
  const n = Number(trimmed);
  return (trimmed !== '' && Number.isFinite(n) ? n : trimmed) as number;
}

export function createBody(v: FormValues): CameraCreate {
  const body: CameraCreate = { name: v.name, url: v.url.trim(), transport: v.transport, enabled: v.enabled };
  if (v.subUrl.trim()) body.subUrl = v.subUrl.trim();
  if (v.username) body.username = v.username;
  if (v.password) body.password = v.password;
  if (v.segmentSeconds.trim()) body.segmentSeconds = numberValue(v.segmentSeconds);
  if (v.retentionDays.trim()) body.retentionDays = numberValue(v.retentionDays);
  if (v.groupName.trim()) body.groupName = v.groupName.trim();
  if (v.description.trim()) body.description = v.description.trim();
  return body;
}

/** Only what changed, so an edit never rewrites fields the operator did not touch. */
export function updateBody(before: Camera, v: FormValues): CameraUpdate {
  const body: CameraUpdate = {};
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
  if (v.name !== before.name) body.name = v.name;
  if (v.url.trim() !== before.url) body.url = v.url.trim();
  if (orNull(v.subUrl) !== before.subUrl) body.subUrl = orNull(v.subUrl);
  if ((v.username === '' ? null : v.username) !== before.username) body.username = v.username === '' ? null : v.username;
  if (v.password) body.password = v.password;
  else if (v.clearPassword && before.hasPassword) body.password = null;
  if (v.transport !== before.transport) body.transport = v.transport;
  if (v.enabled !== before.enabled) body.enabled = v.enabled;
  if (v.segmentSeconds.trim() !== String(before.segmentSeconds)) body.segmentSeconds = numberValue(v.segmentSeconds);
  if (v.retentionDays.trim() !== String(before.retentionDays)) body.retentionDays = numberValue(v.retentionDays);
  if (orNull(v.groupName) !== before.groupName) body.groupName = orNull(v.groupName);
  if (orNull(v.description) !== before.description) body.description = orNull(v.description);
  return body;
}

export function CameraForm({
  camera,
  groups,
  onClose,
  onSaved,
}: {
  camera: Camera | null;
  groups: readonly string[];
  onClose: () => void;
  onSaved: (c: Camera) => void;
}) {
  const { t } = useI18n();
  const { api } = useServices();
  const [v, setV] = useState<FormValues>(() => initialValues(camera));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const set = <K extends keyof FormValues>(k: K, value: FormValues[K]) => setV((old) => ({ ...old, [k]: value }));
  const apiErr = error instanceof ApiError ? error : null;
  const fieldError = (name: string) => apiErr?.fieldMessage(name);
  // The banner repeats the headline; field messages sit at their fields. Errors for unknown paths stay in the banner.
  const unplaced = apiErr?.fields.filter((f) => !(FORM_FIELDS as readonly string[]).includes(f.path)) ?? [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = camera ? await api.updateCamera(camera.id, updateBody(camera, v)) : await api.createCamera(createBody(v));
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const passwordHint = !camera ? t('field.password.hintNew') : camera.hasPassword ? t('field.password.hintKeep') : t('field.password.hintNone');

  return (
    <Modal title={camera ? t('cameraForm.titleEdit', { name: camera.name }) : t('cameraForm.titleNew')} onClose={onClose} wide>
      <form class="form camera-form" noValidate onSubmit={submit}>
        {error ? <ErrorBanner error={error} fieldsShown /> : null}
        {unplaced.length ? (
          <ul class="field-errors-unplaced">
            {unplaced.map((f) => (
              <li key={f.path}>{f.path ? `${f.path}: ${apiErr?.fieldMessage(f.path)}` : apiErr?.fieldMessage(f.path)}</li>
            ))}
          </ul>
        ) : null}
        <fieldset>
          <legend>{t('cameraForm.section.stream')}</legend>
          <div class="form-grid">
            <Field label={t('field.name')} name="name" error={fieldError('name')}>
              <input
                {...fieldProps('name', fieldError('name'))}
                value={v.name}
                maxLength={64}
                autoComplete="off"
                autofocus
                onInput={(e) => set('name', e.currentTarget.value)}
              />
            </Field>
            <Field label={t('field.groupName')} name="groupName" error={fieldError('groupName')} hint={t('common.optional')}>
              <input
                {...fieldProps('groupName', fieldError('groupName'))}
                value={v.groupName}
                list="camera-groups"
                maxLength={128}
                autoComplete="off"
                onInput={(e) => set('groupName', e.currentTarget.value)}
              />
              <datalist id="camera-groups">
                {groups.map((g) => (
                  <option key={g} value={g} />
                ))}
              </datalist>
            </Field>
            <Field label={t('field.url')} name="url" error={fieldError('url')} hint={t('field.url.hint')} wide>
              <input
                {...fieldProps('url', fieldError('url'))}
                value={v.url}
                placeholder="rtsp://192.0.2.10:554/stream1"
                spellcheck={false}
                autoComplete="off"
                onInput={(e) => set('url', e.currentTarget.value)}
              />
            </Field>
            <Field label={t('field.subUrl')} name="subUrl" error={fieldError('subUrl')} hint={t('common.optional')} wide>
              <input
                {...fieldProps('subUrl', fieldError('subUrl'))}
                value={v.subUrl}
                placeholder="rtsp://192.0.2.10:554/stream2"
                spellcheck={false}
                autoComplete="off"
                onInput={(e) => set('subUrl', e.currentTarget.value)}
              />
            </Field>
            <Field label={t('field.username')} name="username" error={fieldError('username')} hint={t('common.optional')}>
              <input
                {...fieldProps('username', fieldError('username'))}
                value={v.username}
                autoComplete="off"
                spellcheck={false}
                onInput={(e) => set('username', e.currentTarget.value)}
              />
            </Field>
            <Field label={t('field.password')} name="password" error={fieldError('password')} hint={passwordHint}>
              <input
                {...fieldProps('password', fieldError('password'))}
                type="password"
                value={v.password}
                autoComplete="new-password"
                disabled={v.clearPassword}
                onInput={(e) => set('password', e.currentTarget.value)}
              />
              {camera?.hasPassword ? (
                <label class="checkbox">
                  <input type="checkbox" checked={v.clearPassword} onChange={(e) => set('clearPassword', e.currentTarget.checked)} />
                  {t('field.password.clear')}
                </label>
              ) : null}
            </Field>
            <Field label={t('field.transport')} name="transport" error={fieldError('transport')}>
              <select
                {...fieldProps('transport', fieldError('transport'))}
                value={v.transport}
                onChange={(e) => set('transport', e.currentTarget.value as Transport)}
              >
                {TRANSPORTS.map((x) => (
                  <option key={x} value={x}>
                    {t(transportKey(x))}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('field.description')} name="description" error={fieldError('description')} hint={t('common.optional')}>
              <input
                {...fieldProps('description', fieldError('description'))}
                value={v.description}
                maxLength={1024}
                onInput={(e) => set('description', e.currentTarget.value)}
              />
            </Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('cameraForm.section.recording')}</legend>
          <div class="form-grid">
            <Field
              label={t('field.segmentSeconds')}
              name="segmentSeconds"
              error={fieldError('segmentSeconds')}
              hint={camera ? undefined : t('field.defaultHint')}
            >
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
            <Field label={t('field.retentionDays')} name="retentionDays" error={fieldError('retentionDays')} hint={camera ? undefined : t('field.defaultHint')}>
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
                {t('field.enabled')}
              </label>
              {fieldError('enabled') ? (
                <div class="field-error" id="f-enabled-error" role="alert">
                  {fieldError('enabled')}
                </div>
              ) : null}
            </div>
          </div>
        </fieldset>
        <div class="form-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
