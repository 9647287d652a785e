// The case timeline: bookmarks, snapshots and exports in recorded-time order (local time), each with a preview frame and a play link into Playback.
import type { Bookmark, ExportJob, Snapshot } from '../../common/investigation';
import { frameFilePath, snapshotFilePath } from '../../common/endpoints/raw';
import { useState } from 'preact/hooks';
import { assertNever } from '../../common/events';
import { formatDateTime, zoneName, zoneOffsetLabel } from '../format';
import { useI18n } from '../i18n/index';
import { withToken } from '../playback/inv-api';
import { ExportItem } from './export-item';
import { timelineItems, type TimelineItem } from './timeline-items';

type Play = (cameraIds: number[], atMs: number) => void;

/** A play triangle drawn as SVG (no font glyph). */
function PlayGlyph() {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="22" height="22" aria-hidden="true">
      <path d="M5 3 L13 8 L5 13 Z" fill="currentColor" />
    </svg>
  );
}

function BookmarkBody({ b, nameOf, onPlay }: { b: Bookmark; nameOf(id: number): string; onPlay: Play }) {
  const { t } = useI18n();
  return (
    <div class="tl-body">
      <div class="tl-title">
        <strong>{t('investigation.item.bookmark')}</strong> <span class="tl-source">{nameOf(b.cameraId)}</span>
      </div>
      <div class="tl-meta">
        {formatDateTime(b.startMs)} – {formatDateTime(b.endMs)}
      </div>
      {b.note ? (
        <p class="tl-note" title={b.note}>
          {b.note}
        </p>
      ) : null}
      <div class="tl-meta muted">{t('investigation.item.by', { user: b.createdBy, time: formatDateTime(b.createdMs) })}</div>
      <div class="tl-actions">
        <button type="button" class="link play-link" onClick={() => onPlay([b.cameraId], b.startMs)}>
          {t('investigation.item.play')}
        </button>
      </div>
    </div>
  );
}

function SnapshotBody({ s, nameOf, onPlay }: { s: Snapshot; nameOf(id: number): string; onPlay: Play }) {
  const { t } = useI18n();
  return (
    <div class="tl-body">
      <div class="tl-title">
        <strong>{t('investigation.item.snapshot')}</strong> <span class="tl-source">{nameOf(s.cameraId)}</span>
        {s.source === 'live' ? <span class="chip">{t('investigation.item.live')}</span> : null}
      </div>
      <div class="tl-meta">{formatDateTime(s.tMs)}</div>
      {s.note ? (
        <p class="tl-note" title={s.note}>
          {s.note}
        </p>
      ) : null}
      <div class="tl-meta muted">{t('investigation.item.by', { user: s.createdBy, time: formatDateTime(s.createdMs) })}</div>
      <div class="tl-actions">
        <button type="button" class="link play-link" onClick={() => onPlay([s.cameraId], s.tMs)}>
          {t('investigation.item.play')}
        </button>
      </div>
    </div>
  );
}

/** The recorded frame at a moment (decoded by the server), under a play button into Playback at that moment. */
function FrameThumb({ cameraIds, atMs, onPlay }: { cameraIds: number[]; atMs: number; onPlay: Play }) {
  const [failed, setFailed] = useState(false);
  return (
    <button type="button" class="tl-thumb tl-play" aria-hidden="true" tabIndex={-1} onClick={() => onPlay(cameraIds, atMs)}>
      {failed || cameraIds.length === 0 ? null : (
        <img class="tl-frame" src={withToken(frameFilePath(cameraIds[0], atMs))} alt="" loading="lazy" onError={() => setFailed(true)} />
      )}
      <PlayGlyph />
    </button>
  );
}

function Preview({ item, onPlay }: { item: TimelineItem; onPlay: Play }) {
  switch (item.kind) {
    case 'snapshot':
      return <img class="tl-thumb" src={withToken(snapshotFilePath(item.snapshot.id))} alt="" loading="lazy" width={160} height={90} />;
    case 'bookmark':
      return <FrameThumb cameraIds={[item.bookmark.cameraId]} atMs={item.bookmark.startMs} onPlay={onPlay} />;
    case 'export':
      return <FrameThumb cameraIds={item.job.request.sources.map((s) => s.cameraId)} atMs={item.job.request.startMs} onPlay={onPlay} />;
    default:
      return assertNever(item);
  }
}

export function CaseTimeline(props: {
  bookmarks: Bookmark[];
  snapshots: Snapshot[];
  exports: ExportJob[];
  nameOf(id: number): string;
  onPlay: Play;
  onError(e: unknown): void;
}) {
  const { t } = useI18n();
  const items = timelineItems(props.bookmarks, props.snapshots, props.exports);
  const zone = `${zoneName() || zoneOffsetLabel(Date.now())} (${zoneOffsetLabel(Date.now())})`;
  return (
    <section class="case-timeline panel">
      <div class="panel-header">
        <h3>{t('investigation.cases.timeline')}</h3>
        <span class="muted tl-hint">{t('investigation.cases.timelineHint', { zone })}</span>
      </div>
      {items.length === 0 ? <p class="empty muted">{t('investigation.cases.timelineEmpty')}</p> : null}
      <ol class="tl-list">
        {items.map((item) => (
          <li
            key={item.key}
            class={`tl-item tl-${item.kind}`}
            data-kind={item.kind}
            data-at-ms={item.atMs}
            data-state={item.kind === 'export' ? item.job.state : undefined}
          >
            <time class="tl-time" dateTime={new Date(item.atMs).toISOString()}>
              {formatDateTime(item.atMs)}
            </time>
            <Preview item={item} onPlay={props.onPlay} />
            {item.kind === 'bookmark' ? (
              <BookmarkBody b={item.bookmark} nameOf={props.nameOf} onPlay={props.onPlay} />
            ) : item.kind === 'snapshot' ? (
              <SnapshotBody s={item.snapshot} nameOf={props.nameOf} onPlay={props.onPlay} />
            ) : (
              <ExportItem
                job={item.job}
                nameOf={props.nameOf}
                onPlay={() =>
                  props.onPlay(
                    item.job.request.sources.map((s) => s.cameraId),
                    item.job.request.startMs,
                  )
                }
                onError={props.onError}
              />
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
