// The recorded video beside a replayed track (Map tab): one tile of the playback player, following the track's clock.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import type { TrackVideoLink } from './track-video';

export function TrackVideoPanel({ link }: { link: TrackVideoLink }) {
  const { t } = useI18n();
  const ref = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<string>('loading');
  useEffect(() => {
    link.attach(ref.current!);
    const off = link.onTick(() => setState(link.tileState() ?? 'loading'));
    return () => {
      off();
      link.detach();
    };
  }, [link]);
  return (
    <div class="track-video" data-unit-id={link.unitId} data-state={state}>
      <video ref={ref} muted playsInline />
      {state === 'gap' && <span class="track-video-status">{t('gps.track.noRecording')}</span>}
      {state === 'error' && <span class="track-video-status">{t('gps.track.videoError')}</span>}
    </div>
  );
}
