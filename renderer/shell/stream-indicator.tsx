// Top bar indicator of the live event stream: live, connecting, or offline with the seconds until the next try.
import { useEffect, useState } from 'preact/hooks';
import type { EventStream } from '../events';
import { useI18n } from '../i18n/index';
import { useStore } from '../state/store';

export function StreamIndicator({ events }: { events: EventStream }) {
  const { t } = useI18n();
  const state = useStore(events.state);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (state.kind !== 'waiting') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [state]);

  switch (state.kind) {
    case 'open':
      return (
        <span class="stream-indicator tone-ok" title={t('top.events.openHint')} data-state="open">
          <span class="pulse" aria-hidden="true" />
          {t('top.events.open')}
        </span>
      );
    case 'waiting': {
      const seconds = Math.max(0, Math.ceil((state.retryAtMs - now) / 1000));
      return (
        <button type="button" class="stream-indicator tone-warn" title={t('top.events.waitingHint')} data-state="waiting" onClick={() => events.reconnectNow()}>
          <span aria-hidden="true">▲</span>
          {t('top.events.waiting', { seconds })}
        </button>
      );
    }
    case 'connecting':
    case 'idle':
      return (
        <span class="stream-indicator tone-warn" data-state="connecting">
          <span aria-hidden="true">…</span>
          {t('top.events.connecting')}
        </span>
      );
  }
}
