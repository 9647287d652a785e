// Dialogs of the wall toolbar: save the wall as a named layout, start a tour (轮巡) of a device group.
import { useState } from 'preact/hooks';
import type { WallLayout } from '../../common/api';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';

type Saved = Promise<void>;
type SaveLayout = (name: string) => Saved;

export function SaveLayoutDialog(props: { initialName: string; existing: readonly WallLayout[]; onSave: SaveLayout; onClose: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(props.initialName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const trimmed = name.trim();
  const replaces = props.existing.some((l) => l.name === trimmed);
  const [missing, setMissing] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!trimmed) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSave(trimmed);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fieldError = missing && !trimmed ? t('live.layouts.nameMissing') : error instanceof ApiError ? error.fieldMessage('name') : undefined;

  return (
    <Modal title={t('live.layouts.saveTitle')} onClose={props.onClose}>
      <form class="form" noValidate onSubmit={submit}>
        {error ? <ErrorBanner error={error} fieldsShown /> : null}
        <Field label={t('live.layouts.name')} name="layoutName" error={fieldError} hint={replaces ? t('live.layouts.replaces') : undefined}>
          <input
            {...fieldProps('layoutName', fieldError)}
            value={name}
            maxLength={64}
            autoComplete="off"
            list="layout-names"
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <datalist id="layout-names">
          {props.existing.map((l) => (
            <option key={l.id} value={l.name} />
          ))}
        </datalist>
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
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

export const TOUR_MIN_SECONDS = 5;
export const TOUR_MAX_SECONDS = 3600;

export function TourDialog(props: {
  groups: readonly string[];
  initialGroup: string | null;
  initialSeconds: number;
  onStart: (group: string, seconds: number) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [group, setGroup] = useState(props.initialGroup ?? props.groups[0] ?? '');
  const [seconds, setSeconds] = useState(String(props.initialSeconds));
  const [tried, setTried] = useState(false);
  const n = Number(seconds);
  const secondsOk = Number.isInteger(n) && n >= TOUR_MIN_SECONDS && n <= TOUR_MAX_SECONDS;
  const secondsError = tried && !secondsOk ? t('live.tour.secondsRange', { min: TOUR_MIN_SECONDS, max: TOUR_MAX_SECONDS }) : undefined;

  const submit = (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (!group || !secondsOk) return;
    props.onStart(group, n);
  };

  return (
    <Modal title={t('live.tour.title')} onClose={props.onClose}>
      {props.groups.length === 0 ? (
        <>
          <p class="muted">{t('live.tour.noGroups')}</p>
          <div class="form-actions">
            <button type="button" onClick={props.onClose}>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <form class="form" noValidate onSubmit={submit}>
          <p class="muted tour-explain">{t('live.tour.explain')}</p>
          <div class="form-grid">
            <Field label={t('live.tour.group')} name="tourGroup">
              <select {...fieldProps('tourGroup')} value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
                {props.groups.map((g) => (
                  <option key={g} value={g}>
                    {g}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('live.tour.seconds')} name="tourSeconds" error={secondsError}>
              <input
                {...fieldProps('tourSeconds', secondsError)}
                type="number"
                min={TOUR_MIN_SECONDS}
                max={TOUR_MAX_SECONDS}
                step={1}
                value={seconds}
                onInput={(e) => setSeconds(e.currentTarget.value)}
              />
            </Field>
          </div>
          <div class="form-actions">
            <button type="button" onClick={props.onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" class="primary">
              {t('live.tour.start')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
