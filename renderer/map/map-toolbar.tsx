// The map's tool bar: nearest units, geofence drawing (polygon, circle), placing a camera, and the current tool's hint.
import type { Camera } from '../../common/api';
import { useI18n } from '../i18n/index';

export type Tool = 'none' | 'nearest' | 'polygon' | 'circle' | 'place';

export interface MapToolbarProps {
  tool: Tool;
  canEditFences: boolean;
  canPlace: boolean;
  cameras: Camera[];
  placeCamera: number | null;
  onTool(tool: Tool): void;
  onCancel(): void;
  /** A camera chosen to place (null: none). */
  onPlaceCamera(cameraId: number | null): void;
}

export function MapToolbar({ tool, canEditFences, canPlace, cameras, placeCamera, onTool, onCancel, onPlaceCamera }: MapToolbarProps) {
  const { t } = useI18n();
  const toolHint =
    tool === 'nearest'
      ? t('gps.tool.hint.nearest')
      : tool === 'polygon'
        ? t('gps.tool.hint.polygon')
        : tool === 'circle'
          ? t('gps.tool.hint.circle')
          : t('gps.camera.placeHint');

  return (
    <div class="map-toolbar">
      <button type="button" class="small" aria-pressed={tool === 'nearest'} onClick={() => (tool === 'nearest' ? onCancel() : onTool('nearest'))}>
        {t('gps.tool.nearest')}
      </button>
      {canEditFences && (
        <>
          <button type="button" class="small" aria-pressed={tool === 'polygon'} onClick={() => (onCancel(), onTool('polygon'))}>
            {t('gps.tool.polygon')}
          </button>
          <button type="button" class="small" aria-pressed={tool === 'circle'} onClick={() => (onCancel(), onTool('circle'))}>
            {t('gps.tool.circle')}
          </button>
        </>
      )}
      {canPlace && (
        <select
          aria-label={t('gps.camera.place')}
          value={placeCamera ?? ''}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            onPlaceCamera(v ? Number(v) : null);
          }}
        >
          <option value="">{t('gps.camera.choose')}</option>
          {cameras.map((c) => (
            <option value={c.id}>{c.name}</option>
          ))}
        </select>
      )}
      {tool !== 'none' && <span class="hint">{toolHint}</span>}
      {tool !== 'none' && (
        <button type="button" class="small" onClick={onCancel}>
          {t('gps.tool.cancel')}
        </button>
      )}
    </div>
  );
}
