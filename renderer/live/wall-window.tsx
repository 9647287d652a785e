// A wall window on another display (#wall=<displayId>, opened by the Electron shell): only the wall, remembered per display.
import { useRef } from 'preact/hooks';
import { useAlarmWallPlacement } from '../alarms/wall-placement';
import { useI18n } from '../i18n/index';
import { wallLayoutName } from '../shell/argus-shell';
import { toggleFullscreen, usePageVisible, useWallController, VideoWall } from './video-wall';
import { useWallKeys } from './live-tab';
import { WallToolbar } from './wall-toolbar';

export function WallWindow({ displayId }: { displayId: number }) {
  const { t } = useI18n();
  const controller = useWallController({ windowId: displayId, lastNameKey: null, fallbackName: wallLayoutName(displayId) });
  const visible = usePageVisible();
  const stage = useRef<HTMLDivElement>(null);
  useWallKeys(controller, stage, true);
  useAlarmWallPlacement(controller, displayId); // alarm rules naming this display's window
  return (
    <div class="wall-window" data-display-id={displayId} ref={stage} aria-label={t('live.wallWindow', { id: displayId })}>
      {/* The toolbar slides in when the pointer reaches the top edge; the wall itself fills the display. */}
      <div class="wall-window-bar">
        <WallToolbar controller={controller} compact onFullscreen={() => toggleFullscreen(stage.current)} />
      </div>
      <div class="wall-stage">
        <VideoWall controller={controller} active={visible} />
      </div>
    </div>
  );
}
