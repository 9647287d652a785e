// Geofences on the Map tab's side panel: the form for a polygon or circle being drawn, and the list with delete.
import { UNIT_TYPES, type UnitType } from '../../common/api';
import type { Geofence } from '../../common/gps';
import { useI18n } from '../i18n/index';

export interface FenceFormProps {
  name: string;
  types: UnitType[];
  canSave: boolean;
  onName: (v: string) => void;
  onTypes: (v: UnitType[]) => void;
  onSave: () => void;
}

export function FenceForm({ name, types, canSave, onName, onTypes, onSave }: FenceFormProps) {
  const { t } = useI18n();
  return (
    <section class="fence-form">
      <h3>{t('gps.fence.title')}</h3>
      <label>
        {t('gps.fence.name')} <input class="fence-name" value={name} onInput={(e) => onName((e.target as HTMLInputElement).value)} />
      </label>
      <fieldset class="fence-types">
        <legend>{t('gps.fence.units')}</legend>
        {UNIT_TYPES.map((ty) => (
          <label>
            <input
              type="checkbox"
              checked={types.includes(ty)}
              onChange={(e) => onTypes((e.target as HTMLInputElement).checked ? [...types, ty] : types.filter((x) => x !== ty))}
            />{' '}
            {t(`unitType.${ty}`)}
          </label>
        ))}
        {types.length === 0 && <div class="hint">{t('gps.fence.allUnits')}</div>}
      </fieldset>
      <button type="button" class="primary small" disabled={!canSave} onClick={onSave}>
        {t('gps.fence.save')}
      </button>
    </section>
  );
}

export function FenceList({ fences, canDelete, onDelete }: { fences: Geofence[]; canDelete: boolean; onDelete: (id: number) => void }) {
  const { t } = useI18n();
  return (
    <section class="fences">
      <h3>{t('gps.fence.title')}</h3>
      {fences.length === 0 ? (
        <div class="hint">{t('gps.fence.none')}</div>
      ) : (
        <ul>
          {fences.map((f) => (
            <li data-fence-id={f.id}>
              <span>{f.name}</span>
              {canDelete && (
                <button type="button" class="small danger" onClick={() => onDelete(f.id)}>
                  {t('gps.fence.delete')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
