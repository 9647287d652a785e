// One synchronized playback tile: the source's video, its name, and what it shows instead of a picture (a gap, a codec without decoder).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import type { SyncSession } from './sync-player';

export function VideoTile({
  session,
  cameraId,
  name,
  selected,
  onSelect,
}: {
  session: SyncSession;
  cameraId: number;
  name: string;
  selected: boolean;
  onSelect(): void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState('loading');
  const [codec, setCodec] = useState<string | null>(null);
  const [shownMs, setShownMs] = useState<number | null>(null);
  useEffect(() => {
    const tile = session.attach(cameraId, ref.current!);
    const off = session.onTick(() => {
      setState(tile.state);
      setCodec(tile.unsupportedCodec);
      const shown = tile.shownWallMs();
      setShownMs(shown === null ? null : Math.round(shown));
    });
    return () => {
      off();
      session.detach(cameraId);
    };
  }, [session, cameraId]);
  return (
    <div class={`pb-tile${selected ? ' selected' : ''}`} data-camera-id={cameraId} data-state={state} data-shown-ms={shownMs ?? undefined} onClick={onSelect}>
      {/* In a gap or for an undecodable codec the last picture would be a stale frame: hidden. */}
      <video ref={ref} muted playsInline style={state === 'gap' || state === 'unsupported' ? { visibility: 'hidden' } : undefined} />
      <span class="pb-tile-name">{name}</span>
      {state === 'gap' ? <span class="pb-tile-status">{t('investigation.noRecording')}</span> : null}
      {state === 'unsupported' ? (
        <span class="pb-tile-status pb-tile-unsupported" role="status">
          {t('investigation.tile.noDecoder', { codec: codec ?? '' })}
        </span>
      ) : null}
    </div>
  );
}
