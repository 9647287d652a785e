// Top bar clock: station local time, date and time zone, updated every second.
import { useEffect, useState } from 'preact/hooks';
import { formatDate, formatTime, zoneName, zoneOffsetLabel } from '../format';
import { useI18n } from '../i18n/index';

export function Clock({ now = Date.now }: { now?: () => number }) {
  const { t } = useI18n();
  const [ms, setMs] = useState(now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const v = now();
      setMs(v);
      timer = setTimeout(tick, 1000 - (v % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [now]);
  const offset = zoneOffsetLabel(ms);
  const name = zoneName();
  const zone = name && name !== 'UTC' ? `${name} (${offset})` : offset;
  return (
    <div class="clock" role="timer" aria-label={t('top.clock.label', { zone })}>
      <span class="clock-time">{formatTime(ms)}</span>
      <span class="clock-meta">
        <span class="clock-date">{formatDate(ms)}</span>
        <span class="clock-zone">{zone}</span>
      </span>
    </div>
  );
}
