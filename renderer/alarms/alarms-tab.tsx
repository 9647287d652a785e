// The Alarms tab of the workspace (报警中心): live alarms, history search with CSV export, and linkage rules.
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { AlarmHistory } from './alarm-history';
import { AlarmRules } from './alarm-rules';
import { LiveAlarms } from './live-alarms';

type View = 'live' | 'history' | 'rules';

export function AlarmsTab() {
  const { t } = useI18n();
  const [view, setView] = useState<View>('live');
  const label = { live: t('alarms.view.live'), history: t('alarms.view.history'), rules: t('alarms.view.rules') };
  return (
    <div class="alarms-tab" data-view={view}>
      <div class="segmented alarms-views" role="tablist">
        {(['live', 'history', 'rules'] as const).map((v) => (
          <button key={v} type="button" role="tab" aria-selected={view === v} aria-pressed={view === v} data-view={v} onClick={() => setView(v)}>
            {label[v]}
          </button>
        ))}
      </div>
      {/* Kept mounted: a search or a half-written rule survives switching views. */}
      <div hidden={view !== 'live'}>
        <LiveAlarms />
      </div>
      <div hidden={view !== 'history'}>
        <AlarmHistory />
      </div>
      <div hidden={view !== 'rules'}>
        <AlarmRules />
      </div>
    </div>
  );
}
