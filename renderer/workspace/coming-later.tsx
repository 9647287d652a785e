// Placeholder panel for a workspace tab that a later version builds.
import { useI18n, type MessageKey } from '../i18n/index';

export function ComingLater({ feature, description }: { feature: MessageKey; description: MessageKey }) {
  const { t } = useI18n();
  return (
    <section class="coming-later" data-testid="coming-later">
      <svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true" class="coming-later-icon">
        <circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="2.5" />
        <path d="M24 12 V24 L32 29" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />
      </svg>
      <h2>{t('later.title')}</h2>
      <p>{t('later.body', { feature: t(feature) })}</p>
      <p class="muted">{t(description)}</p>
    </section>
  );
}
