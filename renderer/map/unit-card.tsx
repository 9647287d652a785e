// The selected unit's card on the Map tab: officer, speed, heading, battery, signal, last fix; watch live, track, raise alarm.
import type { MapUnit } from '../../common/gps';
import { useI18n } from '../i18n/index';
import type { ConsoleServices } from '../services';
import { UnitLinks } from '../shell/unit-links';
import { useCan } from '../rights';
import { unitMapStatus } from './unit-status';

export function fmtNum(locale: string, v: number, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v);
}

export interface UnitCardProps {
  unit: MapUnit;
  services: ConsoleServices;
  fmtTime: (ms: number) => string;
  onWatch: () => void;
  onTrack: () => void;
  onRaise: () => void;
  onClose: () => void;
}

export function UnitCard({ unit: sel, services, fmtTime, onWatch, onTrack, onRaise, onClose }: UnitCardProps) {
  const { t, locale } = useI18n();
  const live = services.units.get().get(sel.unitId);
  const allowed = useCan();
  const status = unitMapStatus(sel, Date.now(), live?.status.online ?? false);
  const p = sel.position;
  return (
    <section class="unit-card" data-unit-id={sel.unitId}>
      <h3>
        {sel.callsign} <span class={`status-${status}`}>{t(`gps.status.${status}`)}</span>
        {live ? <UnitLinks status={live.status} /> : null}
      </h3>
      <dl>
        <dt>{t('gps.card.officer')}</dt>
        <dd>{sel.officer ?? '—'}</dd>
        {p ? (
          <>
            <dt>{t('gps.card.speed')}</dt>
            <dd>{p.speedMps != null ? t('gps.kmh', { value: fmtNum(locale, p.speedMps * 3.6) }) : '—'}</dd>
            <dt>{t('gps.card.heading')}</dt>
            <dd>{p.headingDeg != null ? t('gps.deg', { value: fmtNum(locale, p.headingDeg) }) : '—'}</dd>
            <dt>{t('gps.card.battery')}</dt>
            <dd>{p.batteryPct != null ? t('gps.pct', { value: fmtNum(locale, p.batteryPct) }) : '—'}</dd>
            <dt>{t('gps.card.signal')}</dt>
            <dd>{p.signalDbm != null ? t('gps.dbm', { value: fmtNum(locale, p.signalDbm) }) : '—'}</dd>
            <dt>{t('gps.card.lastSeen')}</dt>
            <dd class="last-seen">{fmtTime(p.tMs)}</dd>
            <dt>{t('gps.card.position')}</dt>
            <dd>
              {p.lat.toFixed(5)}, {p.lon.toFixed(5)}
            </dd>
          </>
        ) : (
          <dd>{t('gps.card.noPosition')}</dd>
        )}
      </dl>
      <div class="row">
        <button type="button" class="primary small" onClick={onWatch}>
          {t('gps.card.watchLive')}
        </button>
        {allowed('gps.history') && (
          <button type="button" class="small" onClick={onTrack}>
            {t('gps.card.track')}
          </button>
        )}
        {allowed('alarms.handle') && (
          <button type="button" class="small danger" onClick={onRaise}>
            {t('gps.card.raiseAlarm')}
          </button>
        )}
        <button type="button" class="small" onClick={onClose}>
          {t('gps.card.close')}
        </button>
      </div>
    </section>
  );
}
