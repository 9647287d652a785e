// One video tile: the player's <video>, overlay (name, recording dot, bitrate, status line), hover tools, drag and drop.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { StreamKind } from '../../common/api';
import { TileAlarmTool } from '../alarms/tile-alarm-tool';
import { CameraIcon, CloseIcon, LockIcon, MaximizeIcon, PtzIcon, ReplayIcon, SnapshotIcon, SpeakerIcon, UnitTypeIcon, VideoOffIcon } from '../components/icons';
import { formatBitrate } from '../format';
import { useI18n } from '../i18n/index';
import { canOn } from '../rights';
import { useServices } from '../services';
import { openInPlayback } from '../playback/nav';
import { CAMERA_DRAG_TYPE } from '../shell/device-tree';
import { ORG_DRAG_TYPE, parseOrgDrag, type OrgDrop } from '../devices/drag';
import { sourceLiveness, sourceRecording, type Source } from '../state/sources';
import type { TileCell } from './geometry';
import { LivePlayer, type PlayerPhase, type PlayerStats } from './player';
import { usePtzCapable } from './ptz-capability';
import { PtzPad } from './ptz-pad';
import { saveSnapshot } from './snapshot';
import { tileView } from './tile-view';
import type { WallAction } from './wall-state';
import { statusReason as wordReason } from '../i18n/server-messages';

/** MIME type of a tile dragged onto another tile (payload: the tile index); dropping swaps the two. */
export const TILE_DRAG_TYPE = 'application/x-argus-tile';

export interface VideoTileProps {
  index: number;
  cell: TileCell;
  sourceId: number | null;
  /** The source behind sourceId; null while unknown (not loaded yet, or deleted). */
  source: Source | null;
  stream: StreamKind;
  /** Players run only while the wall is on screen (tab active, window visible). */
  active: boolean;
  selected: boolean;
  maximized: boolean;
  /** Another tile is maximized over this one. */
  covered: boolean;
  /** The alarm whose rule put the source here, while it is not acknowledged: the tile gets an alarm frame. */
  alarmId?: number | null;
  dispatch: (a: WallAction) => void;
  /** A node or device of the organisation tree dropped here: its channels fill the wall from this tile. */
  onOrgDrop?: (drop: OrgDrop, index: number) => void;
}

function accepts(e: DragEvent): boolean {
  const types = e.dataTransfer?.types ?? [];
  return types.includes(CAMERA_DRAG_TYPE) || types.includes(TILE_DRAG_TYPE) || types.includes(ORG_DRAG_TYPE);
}

export function VideoTile(p: VideoTileProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, toasts, activeTab, user } = useServices();
  const video = useRef<HTMLVideoElement>(null);
  const player = useRef<LivePlayer | null>(null);
  const [phase, setPhase] = useState<PlayerPhase | null>(null);
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const [firstFrameMs, setFirstFrameMs] = useState<number | null>(null);
  const [muted, setMuted] = useState(true);
  const [dragOver, setDragOver] = useState(false);

  const liveness = p.source ? sourceLiveness(p.source) : null;
  // The PTZ tool only where PTZ works: cameras whose ONVIF link reports PTZ (not plain RTSP cameras, not units).
  // The PTZ tool only for a camera that has PTZ and that this user may steer (ptz.control on it).
  const ptz = usePtzCapable(p.source?.kind === 'camera' && canOn(user, p.source.camera, 'ptz.control') ? p.source.id : null);
  const playing = p.sourceId !== null && p.active;

  useEffect(() => {
    setPhase(null);
    setStats(null);
    setFirstFrameMs(null);
    setMuted(true);
    const el = video.current;
    if (!playing || p.sourceId === null || !el) return;
    const lp = new LivePlayer({
      video: el,
      sourceId: p.sourceId,
      stream: p.stream,
      getTicket: (req) => api.liveTicket(req),
      onPhase: (ph) => {
        setPhase(ph);
        if (ph.kind === 'playing' && lp.firstFrameDelayMs !== null) setFirstFrameMs(lp.firstFrameDelayMs);
      },
      onStats: setStats,
    });
    player.current = lp;
    lp.start();
    return () => {
      lp.close();
      if (player.current === lp) player.current = null;
    };
  }, [playing, p.sourceId, p.stream]);

  // The source came back (event stream): connect now rather than at the end of the backoff.
  useEffect(() => {
    if (liveness !== false) player.current?.kick();
  }, [liveness]);

  const sourceStatus = p.source ? (p.source.kind === 'camera' ? p.source.camera.status : p.source.unit.status) : null;
  const statusReason = sourceStatus ? wordReason(i18n.lang, sourceStatus.reason, sourceStatus.lastError) : null;
  const disabled = p.source ? (p.source.kind === 'camera' ? !p.source.camera.enabled : !p.source.unit.enabled) : false;
  const view = tileView(p.sourceId !== null, phase, liveness, statusReason, disabled);
  const name = p.source?.name ?? (p.sourceId !== null ? t('live.tile.unknownSource', { id: p.sourceId }) : '');
  const recording = p.source ? sourceRecording(p.source) : false;
  const shownStream = phase?.kind === 'playing' ? phase.stream : p.stream;
  const style = p.maximized
    ? { gridColumn: '1 / -1', gridRow: '1 / -1' }
    : { gridColumn: `${p.cell.col + 1} / span ${p.cell.colSpan}`, gridRow: `${p.cell.row + 1} / span ${p.cell.rowSpan}` };

  const stop = (e: Event) => e.stopPropagation();
  const toggleAudio = () => {
    const next = !muted;
    setMuted(next);
    player.current?.setMuted(next);
  };
  const snapshot = async () => {
    const el = video.current;
    const ok = el ? await saveSnapshot(el, name) : false;
    toasts.show((tr) => (ok ? tr('live.snapshot.saved', { name }) : tr('live.snapshot.none')));
  };

  return (
    <div
      class={`tile${p.selected ? ' selected' : ''}${p.maximized ? ' maximized' : ''}${p.covered ? ' covered' : ''}${dragOver ? ' drag-over' : ''}${p.alarmId != null ? ' alarm-placed' : ''}`}
      style={style}
      data-tile-index={p.index}
      data-alarm-id={p.alarmId ?? undefined}
      data-state={view.state}
      data-stream={p.sourceId !== null ? p.stream : undefined}
      data-served-stream={phase?.kind === 'playing' ? phase.stream : undefined}
      data-first-frame-ms={firstFrameMs ?? undefined}
      role="group"
      aria-label={p.sourceId !== null ? t('live.tile.label', { index: p.index + 1, name }) : t('live.tile.emptyLabel', { index: p.index + 1 })}
      aria-selected={p.selected}
      tabIndex={0}
      draggable={p.sourceId !== null}
      onClick={() => p.dispatch({ type: 'select', index: p.index })}
      onDblClick={() => p.dispatch({ type: 'toggleMaximize', index: p.index })}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return;
        if (e.key === 'Enter') p.dispatch({ type: 'toggleMaximize', index: p.index });
        else if (e.key === 'Delete' && p.sourceId !== null) p.dispatch({ type: 'clear', index: p.index });
      }}
      onDragStart={(e) => {
        e.dataTransfer?.setData(TILE_DRAG_TYPE, String(p.index));
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = e.dataTransfer.types.includes(TILE_DRAG_TYPE) ? 'move' : 'copy';
        if (!dragOver) setDragOver(true);
      }}
      onDragLeave={(e) => {
        if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null)) setDragOver(false);
      }}
      onDrop={(e) => {
        setDragOver(false);
        const dt = e.dataTransfer;
        if (!dt) return;
        const from = dt.getData(TILE_DRAG_TYPE);
        const src = dt.getData(CAMERA_DRAG_TYPE);
        const org = parseOrgDrag(dt.getData(ORG_DRAG_TYPE));
        if (org && p.onOrgDrop) {
          e.preventDefault();
          p.onOrgDrop(org, p.index);
        } else if (from !== '') {
          e.preventDefault();
          p.dispatch({ type: 'swap', from: Number(from), to: p.index });
        } else if (src !== '' && Number.isInteger(Number(src))) {
          e.preventDefault();
          p.dispatch({ type: 'assign', index: p.index, sourceId: Number(src) });
        }
      }}
    >
      <video ref={video} class="tile-video" muted playsInline disablePictureInPicture data-source-id={p.sourceId ?? undefined} hidden={p.sourceId === null} />
      {p.sourceId === null ? (
        <div class="tile-empty">
          <span class="tile-number">{p.index + 1}</span>
          <span class="tile-hint">{t('live.tile.dropHint')}</span>
        </div>
      ) : (
        <>
          {p.alarmId != null ? (
            <span class="tile-alarm-badge" title={t('live.tile.alarmPlacedHint', { id: p.alarmId })}>
              {t('live.tile.alarmPlaced')}
            </span>
          ) : null}
          <div class="tile-top">
            <span class="tile-name" title={name}>
              {p.source?.kind === 'unit' ? <UnitTypeIcon type={p.source.unit.type} size={14} /> : <CameraIcon size={14} />}
              <span class="tile-name-text">{name}</span>
            </span>
            <span class="tile-meta">
              {recording ? (
                <span class="tile-rec" title={t('live.tile.recordingHint')}>
                  <span class="rec-dot" aria-hidden="true" />
                  {t('live.tile.recording')}
                </span>
              ) : null}
              {view.state === 'playing' && stats?.bitrateBps ? <span class="tile-bitrate">{formatBitrate(i18n, stats.bitrateBps)}</span> : null}
              <span class="tile-stream">{shownStream === 'main' ? t('live.stream.main') : t('live.stream.sub')}</span>
            </span>
          </div>
          {view.state === 'connecting' ? <div class="tile-center spinning" aria-hidden="true" /> : null}
          {view.state === 'offline' || view.state === 'error' ? (
            <div class={`tile-center-icon tone-${view.tone}`} aria-hidden="true">
              {view.state === 'offline' ? <VideoOffIcon size={40} /> : <LockIcon size={40} />}
            </div>
          ) : null}
          {view.unsupported ? (
            <div class="tile-center-message" role="status">
              <VideoOffIcon size={32} />
              <span class="tile-unsupported">{t(view.unsupported.line, { codec: view.unsupported.codec })}</span>
            </div>
          ) : null}
          <div class="tile-bottom">
            {view.line ? (
              <span class={`tile-status tone-${view.tone}`} role="status" title={view.reason?.full}>
                <span class="tile-status-mark" aria-hidden="true" />
                {t(view.line)}
                {view.reason ? (
                  <span class="tile-status-reason">
                    {t('live.status.reasonSep')}
                    {view.reason.short}
                  </span>
                ) : null}
              </span>
            ) : (
              <span />
            )}
            <span class="tile-tools" onClick={stop} onDblClick={stop}>
              <button
                type="button"
                class="tile-tool"
                title={t('live.tool.snapshot')}
                aria-label={t('live.tool.snapshot')}
                disabled={view.state !== 'playing'}
                onClick={snapshot}
              >
                <SnapshotIcon />
              </button>
              <button
                type="button"
                class="tile-tool"
                title={muted ? t('live.tool.audioOn') : t('live.tool.audioOff')}
                aria-label={muted ? t('live.tool.audioOn') : t('live.tool.audioOff')}
                aria-pressed={!muted}
                onClick={toggleAudio}
              >
                <SpeakerIcon muted={muted} />
              </button>
              <button
                type="button"
                class="tile-tool"
                name="instant-replay"
                title={t('investigation.replay')}
                aria-label={t('investigation.replay')}
                disabled={p.sourceId === null}
                onClick={() => {
                  if (p.sourceId === null) return;
                  openInPlayback([p.sourceId], Date.now() - 30_000);
                  activeTab.set('playback');
                }}
              >
                <ReplayIcon />
              </button>
              {ptz ? (
                <button
                  type="button"
                  class="tile-tool"
                  name="ptz"
                  title={t('onvif.ptz.title')}
                  aria-label={t('onvif.ptz.title')}
                  aria-pressed={p.maximized}
                  onClick={() => p.dispatch({ type: 'toggleMaximize', index: p.index })}
                >
                  <PtzIcon />
                </button>
              ) : null}
              <button
                type="button"
                class="tile-tool"
                title={p.maximized ? t('live.tool.restore') : t('live.tool.maximize')}
                aria-label={p.maximized ? t('live.tool.restore') : t('live.tool.maximize')}
                onClick={() => p.dispatch({ type: 'toggleMaximize', index: p.index })}
              >
                <MaximizeIcon restore={p.maximized} />
              </button>
              <TileAlarmTool sourceId={p.sourceId} name={name} />
              <button
                type="button"
                class="tile-tool"
                title={t('live.tool.close')}
                aria-label={t('live.tool.close')}
                onClick={() => p.dispatch({ type: 'clear', index: p.index })}
              >
                <CloseIcon />
              </button>
            </span>
          </div>
          {p.maximized && ptz && p.source?.kind === 'camera' ? <PtzPad cameraId={p.source.id} /> : null}
        </>
      )}
    </div>
  );
}
