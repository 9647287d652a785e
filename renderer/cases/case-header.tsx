// The open case's header: reference, title, who opened it, and its legal hold (place with a reason; release by an admin).
import { useState } from 'preact/hooks';
import type { Case } from '../../common/investigation';
import { LockIcon } from '../components/icons';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/index';
import { invApi } from '../playback/inv-api';

export function CaseHeader({ kase, isAdmin, onChanged, onError }: { kase: Case; isAdmin: boolean; onChanged(): void; onError(e: unknown): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const act = (p: Promise<unknown>, after?: () => void) =>
    void p.then(() => {
      after?.();
      onChanged();
    }, onError);
  return (
    <header class="case-header panel">
      <div class="case-title-row">
        <h2 class="case-ref" title={kase.reference}>
          {kase.reference}
        </h2>
        {kase.title ? (
          <span class="case-title-text muted" title={kase.title}>
            {kase.title}
          </span>
        ) : null}
      </div>
      <p class="muted case-opened">{t('investigation.cases.openedBy', { user: kase.createdBy, time: formatDateTime(kase.createdMs) })}</p>
      <div class={`case-hold${kase.hold ? ' held' : ''}`} data-held={kase.hold ? 'true' : 'false'}>
        <span class="case-hold-label">
          <LockIcon size={14} /> {t('investigation.cases.hold')}
        </span>
        {kase.hold ? (
          <>
            <span class="case-hold-text">
              {t('investigation.cases.held', { time: formatDateTime(kase.hold.createdMs), segments: kase.hold.segments })} — {kase.hold.reason}
            </span>
            {isAdmin ? (
              <button type="button" name="release" class="small" onClick={() => act(invApi.release(kase.id))}>
                {t('investigation.cases.release')}
              </button>
            ) : (
              <span class="muted">{t('investigation.cases.releaseAdmin')}</span>
            )}
          </>
        ) : (
          <form
            class="case-hold-form"
            onSubmit={(e) => {
              e.preventDefault();
              act(invApi.hold(kase.id, reason.trim()), () => setReason(''));
            }}
          >
            <span class="muted">{t('investigation.cases.notHeld')}</span>
            <input
              name="hold-reason"
              aria-label={t('investigation.cases.holdReason')}
              placeholder={t('investigation.cases.holdReason')}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
            <button type="submit" name="hold" class="small" disabled={!reason.trim()}>
              {t('investigation.cases.place')}
            </button>
          </form>
        )}
      </div>
    </header>
  );
}
