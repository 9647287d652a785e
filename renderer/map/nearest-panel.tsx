// The units nearest to a point clicked with the "nearest" tool, with their distance; picking one selects it on the map.
import type { NearestUnit } from '../../common/gps';
import { useI18n } from '../i18n/index';

export interface NearestPanelProps {
  nearest: NearestUnit[];
  unitName(unitId: number): string;
  fmtDist(meters: number): string;
  onPick(unit: NearestUnit): void;
}

export function NearestPanel({ nearest, unitName, fmtDist, onPick }: NearestPanelProps) {
  const { t } = useI18n();
  return (
    <section class="nearest">
      <h3>{t('gps.nearest.title')}</h3>
      {nearest.length === 0 ? (
        <div class="hint">{t('gps.nearest.none')}</div>
      ) : (
        <ul>
          {nearest.map((n) => (
            <li>
              <a href="#" onClick={(e) => (e.preventDefault(), onPick(n))}>
                {unitName(n.unitId)}
              </a>
              <span>{fmtDist(n.distanceM)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
