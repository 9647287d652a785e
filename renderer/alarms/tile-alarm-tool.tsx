// Tile tool "raise alarm": one click on a video tile raises a manual alarm for its camera or unit (notes follow in the Alarms tab).
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { canOnSourceOf } from '../rights';
import { useServices } from '../services';
import { alarmApi } from './alarm-api';
import { errorText } from '../api';

export function TileAlarmTool({ sourceId, name }: { sourceId: number; name: string }) {
  const { t } = useI18n();
  const services = useServices();
  const [busy, setBusy] = useState(false);
  if (!canOnSourceOf(services, sourceId, 'alarms.handle')) return null;
  const raise = async () => {
    setBusy(true);
    try {
      const a = await alarmApi.raise({ sourceId, severity: 'major', message: t('alarms.tile.message', { name, user: services.user.username }) });
      services.toasts.show((tt) => tt('alarms.raised', { id: a.id }));
    } catch (err) {
      services.toasts.show((tt) => `${tt('alarms.tile.failed')}: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class="tile-tool tile-alarm"
      title={t('alarms.tile.raise')}
      aria-label={t('alarms.tile.raise')}
      disabled={busy}
      onClick={() => void raise()}
    >
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        <path d="M8 1.8 15 14H1Z" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round" />
        <path d="M8 6v4M8 11.6v.4" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
      </svg>
    </button>
  );
}
