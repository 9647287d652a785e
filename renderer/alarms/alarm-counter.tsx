// Top bar alarm counter: unacknowledged alarms by severity (click: the Alarms tab), sound on/off; plays the sound and desktop alerts.
import { useEffect, useMemo } from 'preact/hooks';
import { ALARM_SEVERITIES } from '../../common/alarms';
import { useI18n } from '../i18n/index';
import { statusReason } from '../i18n/server-messages';
import { useServices } from '../services';
import { Store, useStore } from '../state/store';
import { desktopNotify, playAlarmSound, requestDesktopPermission } from './alerts';
import { causeKey, SEV_ICON, sevKey, typeKey } from './labels';
import { consoleAlarms } from './use-alarms';

const SOUND_KEY = 'argus.alarms.sound';

function initialSound(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

const soundOn = new Store<boolean>(initialSound());

export function AlarmCounter() {
  const { t, lang } = useI18n();
  const services = useServices();
  const center = useMemo(() => consoleAlarms(services), [services.events]);
  const alarms = useStore(center.alarms);
  const sound = useStore(soundOn);
  const counts = useMemo(() => {
    const c = { critical: 0, major: 0, minor: 0, info: 0 };
    for (const a of alarms.values()) if (a.state === 'new') c[a.severity]++;
    return c;
  }, [alarms]);
  const total = counts.critical + counts.major + counts.minor + counts.info;
  const lastAlert = useStore(center.alert);

  useEffect(
    () =>
      center.alert.subscribe((al) => {
        if (!al) return;
        if (al.sound && soundOn.get()) playAlarmSound(al.alarm.severity === 'critical');
        if (al.desktop) {
          const type = t(typeKey(al.alarm.type));
          desktopNotify(
            al.escalated
              ? t('alarms.notify.escalated', { type, source: al.alarm.sourceName })
              : t('alarms.notify.title', { severity: t(sevKey(al.alarm.severity)), type }),
            `${al.alarm.sourceName}${al.alarm.cause ? ` — ${t(causeKey(al.alarm.cause))}` : al.alarm.message ? ` — ${statusReason(lang, al.alarm.reason, al.alarm.message)}` : ''}`,
            `argus-alarm-${al.alarm.id}`,
          );
        }
      }),
    [center, t],
  );

  return (
    <div
      class="alarm-counter"
      data-testid="alarm-counter"
      data-total={total}
      data-last-alert={lastAlert ? lastAlert.seq : ''}
      data-last-alert-sound={lastAlert?.sound ? 'true' : 'false'}
    >
      <button
        type="button"
        class={`alarm-counter-button${counts.critical > 0 ? ' flashing' : ''}`}
        aria-label={t('alarms.counter.label')}
        title={t('alarms.counter.title', counts)}
        onClick={() => services.activeTab.set('alarms')}
      >
        {ALARM_SEVERITIES.map((s) => (
          <span key={s} class={`sev-count sev-${s}`} data-severity={s} data-count={counts[s]}>
            <span aria-hidden="true">{SEV_ICON[s]}</span> {counts[s]}
          </span>
        ))}
      </button>
      <button
        type="button"
        class="icon-button alarm-sound"
        aria-pressed={sound}
        aria-label={sound ? t('alarms.sound.on') : t('alarms.sound.off')}
        title={sound ? t('alarms.sound.on') : t('alarms.sound.off')}
        onClick={() => {
          const next = !soundOn.get();
          soundOn.set(next);
          try {
            localStorage.setItem(SOUND_KEY, next ? 'on' : 'off');
          } catch {
            // not remembered
          }
          requestDesktopPermission();
        }}
      >
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path
            d="M8 2.2a4 4 0 0 0-4 4v2.6L2.6 11.4h10.8L12 8.8V6.2a4 4 0 0 0-4-4Z"
            fill="none"
            stroke="currentColor"
            stroke-width="1.4"
            stroke-linejoin="round"
          />
          <path d="M6.4 13.2a1.7 1.7 0 0 0 3.2 0" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" />
          {sound ? null : <path d="M2.5 2.5 13.5 13.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />}
        </svg>
      </button>
    </div>
  );
}
