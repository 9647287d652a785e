// The Cases tab's left column: filter, new-case form (labels above fields) and the case list (reference, title, hold, counts).
import { useState } from 'preact/hooks';
import type { Case } from '../../common/investigation';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { LockIcon } from '../components/icons';
import { useI18n } from '../i18n/index';
import { invApi } from '../playback/inv-api';

function NewCaseForm({ onCreated }: { onCreated(c: Case): void }) {
  const { t } = useI18n();
  const [reference, setReference] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  // The server's field error on the reference, worded in the user's language.
  const refused = error instanceof ApiError && error.fieldMessage('reference') !== undefined;
  return (
    <form
      class="case-new panel"
      onSubmit={(e) => {
        e.preventDefault();
        invApi.createCase(reference.trim(), title.trim()).then((c) => {
          setError(null);
          setReference('');
          setTitle('');
          onCreated(c);
        }, setError);
      }}
    >
      <h4>{t('investigation.cases.new')}</h4>
      <Field label={t('investigation.cases.reference')} name="case-reference" error={refused ? t('investigation.cases.referenceInvalid') : undefined}>
        <input {...fieldProps('case-reference', refused ? 'x' : undefined)} value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
      </Field>
      <Field label={t('investigation.cases.titleField')} name="case-title">
        <input {...fieldProps('case-title')} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      {error ? <ErrorBanner error={error} fieldsShown={refused} onDismiss={() => setError(null)} /> : null}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={!reference.trim()}>
          {t('investigation.cases.create')}
        </button>
      </div>
    </form>
  );
}

export function CaseList({
  cases,
  selected,
  onSelect,
  onCreated,
}: {
  cases: Case[];
  selected: number | null;
  onSelect(id: number): void;
  onCreated(c: Case): void;
}) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const q = filter.trim().toLowerCase();
  const shown = q ? cases.filter((c) => `${c.reference} ${c.title}`.toLowerCase().includes(q)) : cases;
  return (
    <aside class="cases-side">
      <div class="cases-side-head">
        <h3>{t('investigation.cases.title')}</h3>
        <input
          type="search"
          class="cases-filter"
          name="case-filter"
          aria-label={t('investigation.cases.filter')}
          placeholder={t('investigation.cases.filter')}
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
      </div>
      <NewCaseForm onCreated={onCreated} />
      {cases.length === 0 ? (
        <p class="muted cases-empty">{t('investigation.cases.empty')}</p>
      ) : shown.length === 0 ? (
        <p class="muted cases-empty">{t('investigation.cases.noMatch')}</p>
      ) : null}
      <ul class="case-items">
        {shown.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              class={`case-item${c.id === selected ? ' selected' : ''}`}
              data-case-id={c.id}
              aria-current={c.id === selected ? 'true' : undefined}
              onClick={() => onSelect(c.id)}
            >
              <span class="case-item-top">
                <strong class="case-item-ref" title={c.reference}>
                  {c.reference}
                </strong>
                {c.hold ? (
                  <span class="chip chip-hold">
                    <LockIcon size={12} /> {t('investigation.cases.heldBadge')}
                  </span>
                ) : null}
              </span>
              {c.title ? (
                <span class="case-item-title muted" title={c.title}>
                  {c.title}
                </span>
              ) : null}
              <span class="case-item-counts muted">{t('investigation.cases.counts', { bookmarks: c.bookmarks, exports: c.exports })}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
