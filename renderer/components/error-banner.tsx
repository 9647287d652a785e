// Shows an API error: the translated kind as the headline; as detail the console's words for the server's code (errors.ts).
import { ApiError } from '../api';
import { useI18n } from '../i18n/index';
import { errorKindKey } from '../labels';

/** `fieldsShown`: the form shows the field errors beside their fields, so the server's summary of them is left out. */
export function ErrorBanner({ error, onDismiss, fieldsShown }: { error: unknown; onDismiss?: () => void; fieldsShown?: boolean }) {
  const { t } = useI18n();
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError('network', error instanceof Error ? error.message : String(error), 0);
  const headline = t(errorKindKey(e.kind));
  // A form that does not show the field errors beside its fields gets them here, each in the user's language.
  const detail = e.fields.length > 0 && !fieldsShown ? e.fields.map((f) => `${f.path ? `${f.path}: ` : ''}${e.fieldMessage(f.path)}`).join('; ') : e.text();
  return (
    <div class="banner banner-error" role="alert" data-kind={e.kind}>
      <span class="banner-icon" aria-hidden="true">
        !
      </span>
      <div class="banner-text">
        <strong>{headline}</strong>
        {detail && detail !== headline && !(fieldsShown && e.fields.length > 0) ? <span class="banner-detail">{detail}</span> : null}
      </div>
      {onDismiss ? (
        <button type="button" class="icon-button" aria-label={t('common.close')} onClick={onDismiss}>
          ×
        </button>
      ) : null}
    </div>
  );
}
