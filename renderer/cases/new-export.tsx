// The New export panel of a case: sources (checkbox before its name), range in local time, re-encode and watermark options.
import { useState } from 'preact/hooks';
import type { Case } from '../../common/investigation';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { fromDateTimeLocalValue, toDateTimeLocalValue, zoneOffsetLabel } from '../format';
import { useI18n } from '../i18n/index';
import { invApi } from '../playback/inv-api';

export function NewExport({ kase, sources }: { kase: Case; sources: Array<{ id: number; name: string }> }) {
  const { t } = useI18n();
  const [picked, setPicked] = useState<number[]>([]);
  const [from, setFrom] = useState(toDateTimeLocalValue(Date.now() - 3_600_000));
  const [to, setTo] = useState(toDateTimeLocalValue(Date.now()));
  const [reencode, setReencode] = useState(false);
  const [watermark, setWatermark] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const zone = zoneOffsetLabel(Date.now());
  return (
    <form
      class="new-export panel form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        invApi
          .createExport({
            caseId: kase.id,
            sources: picked.map((cameraId) => ({ cameraId })),
            startMs: fromDateTimeLocalValue(from) ?? 0,
            endMs: fromDateTimeLocalValue(to) ?? 0,
            reencode,
            watermark,
          })
          .then(() => setPicked([]), setError);
      }}
    >
      <h4>{t('investigation.export.new')}</h4>
      <fieldset>
        <legend>{t('investigation.export.sources')}</legend>
        {sources.length === 0 ? <p class="muted">{t('investigation.export.noSources')}</p> : null}
        <div class="export-sources">
          {sources.map((s) => (
            <label key={s.id} class="checkbox" title={s.name}>
              <input type="checkbox" name={`export-source-${s.id}`} checked={picked.includes(s.id)} onChange={() => toggle(s.id)} />
              <span class="checkbox-text">{s.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="form-grid">
        <Field label={`${t('investigation.export.from')} (${zone})`} name="export-from">
          <input type="datetime-local" step="1" {...fieldProps('export-from')} value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field label={`${t('investigation.export.to')} (${zone})`} name="export-to">
          <input type="datetime-local" step="1" {...fieldProps('export-to')} value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </Field>
      </div>
      <fieldset>
        <legend>{t('investigation.export.options')}</legend>
        <label class="checkbox">
          <input type="checkbox" name="reencode" checked={reencode || watermark} disabled={watermark} onChange={(e) => setReencode(e.currentTarget.checked)} />{' '}
          <span>{t('investigation.export.reencode')}</span>
        </label>
        <label class="checkbox">
          <input type="checkbox" name="watermark" checked={watermark} onChange={(e) => setWatermark(e.currentTarget.checked)} />{' '}
          <span>{t('investigation.export.watermark')}</span>
        </label>
      </fieldset>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={picked.length === 0}>
          {t('investigation.export.start')}
        </button>
      </div>
    </form>
  );
}
