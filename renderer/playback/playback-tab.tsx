// The Playback tab: sources, synchronized video tiles, transport (speeds, pause, frame step, events), timeline, marks → bookmark / snapshot / export, and search.
import { holdsSomewhere } from './inv-rights';
import { canOn, type Right } from '../rights';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Case, Timeline } from '../../common/investigation';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime, toDateTimeLocalValue } from '../format';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { sortedCameras } from '../state/cameras';
import { useStore } from '../state/store';
import { sortedUnits } from '../state/units';
import { invApi } from './inv-api';
import { playbackRequest } from './nav';
import { SearchPanel } from './search-panel';
import { DeviceRecordsBar, gbChannelSources, useDeviceRecords } from './device-records';
import { FRAME_MS, SyncSession } from './sync-player';
import { TimelineView } from './timeline';
import { TransportBar } from './transport-bar';
import { SPANS_MS } from './wall-map';
import { VideoTile } from './video-tile';

const MAX_SOURCES = 9;

interface AsyncTask {
  (): Promise<void>;
}

export function PlaybackTab() {
  const { t } = useI18n();
  const services = useServices();
  const cams = useStore(services.cameras);
  const units = useStore(services.units);
  const org = useStore(services.org);
  const canCases = holdsSomewhere(services.user, 'cases.manage');
  /** A right on these sources (each camera's or unit's myRights); with none chosen yet, held somewhere. */
  const mayOn = (ids: readonly number[], right: Right) =>
    ids.length === 0 ? holdsSomewhere(services.user, right) : ids.every((id) => canOn(services.user, cams.get(id) ?? units.get(id), right));
  const sources = useMemo(
    () => [
      ...sortedCameras(cams).map((c) => ({ id: c.id, name: c.name })),
      ...sortedUnits(units).map((u) => ({ id: u.id, name: u.callsign })),
      ...gbChannelSources(org),
    ],
    [cams, units, org],
  );
  const nameOf = (id: number) => sources.find((s) => s.id === id)?.name ?? `#${id}`;
  const [selected, setSelected] = useState<number[]>([]);
  const [focus, setFocus] = useState<number | null>(null);
  const session = useMemo(() => new SyncSession(Date.now() - 3_600_000), []);
  useEffect(() => () => session.close(), [session]);
  const [, setTick] = useState(0);
  useEffect(() => session.onTick(() => setTick((n) => (n + 1) % 1_000_000)), [session]);
  const [spanIdx, setSpanIdx] = useState(3);
  const spanMs = SPANS_MS[spanIdx]!;
  const [viewStart, setViewStart] = useState(() => session.clock.now() - SPANS_MS[3]! / 2);
  const [timelines, setTimelines] = useState<Map<number, Timeline>>(new Map());
  const [markIn, setMarkIn] = useState<number | null>(null);
  const [markOut, setMarkOut] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [cases, setCases] = useState<Case[]>([]);
  const [caseId, setCaseId] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [gotoValue, setGotoValue] = useState(toDateTimeLocalValue(session.clock.now()));
  const now = session.clock.now();

  // Keep the playhead in view while playing.
  useEffect(() => {
    if (now < viewStart || now > viewStart + spanMs) setViewStart(now - spanMs * 0.1);
  }, [Math.floor(now / 1000)]);

  const seek = (ms: number) => {
    session.seek(ms);
    setGotoValue(toDateTimeLocalValue(ms));
    if (ms < viewStart || ms > viewStart + spanMs) setViewStart(ms - spanMs / 2);
  };

  // Requests from search and cases.
  const req = useStore(playbackRequest);
  useEffect(() => {
    if (!req) return;
    setSelected(req.cameraIds.slice(0, MAX_SOURCES));
    setFocus(req.cameraIds[0] ?? null);
    seek(req.atMs);
  }, [req?.seq]);

  // Timeline data for the view (with a margin on both sides).
  const [reloads, setReloads] = useState(0);
  const loadKey = `${selected.join(',')}|${Math.floor(viewStart / (spanMs / 4))}|${spanMs}|${reloads}`;
  useEffect(() => {
    let cancelled = false;
    const from = Math.max(0, Math.round(viewStart - spanMs));
    const to = Math.round(viewStart + 2 * spanMs);
    Promise.all(selected.map((id) => invApi.timeline(id, from, to).then((tl) => [id, tl] as const))).then(
      (list) => !cancelled && setTimelines(new Map(list)),
      (err) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [loadKey]);
  const reloadTimelines = () => setReloads((n) => n + 1);
  // GB/T 28181 channels: what their devices keep in the same window ("on device" beside Argus's own recordings).
  const deviceRecords = useDeviceRecords(selected, Math.max(0, Math.round(viewStart - spanMs)), Math.round(viewStart + 2 * spanMs), loadKey);

  useEffect(() => {
    if (!canCases) return;
    const load = () => void invApi.cases().then(setCases, () => undefined);
    load();
    // New cases (from the Cases tab or other users) appear in the case list at once.
    return services.events.subscribe((ev) => {
      if (ev.type === 'investigation.case') load();
    });
  }, []);

  /** Zooms one step (factor > 1: out) keeping `around` at the same place on the timeline. */
  const zoom = (factor: number, around: number) => {
    const idx = factor > 1 ? Math.max(0, spanIdx - 1) : Math.min(SPANS_MS.length - 1, spanIdx + 1);
    const next = SPANS_MS[idx]!;
    const frac = around >= viewStart && around <= viewStart + spanMs ? (around - viewStart) / spanMs : 0.5;
    setSpanIdx(idx);
    setViewStart(around - frac * next);
  };

  const events = useMemo(() => [...timelines.values()].flatMap((tl) => tl.events.map((e) => e.startMs)).sort((a, b) => a - b), [timelines]);
  const togglePlay = () => {
    if (session.clock.paused) session.clock.play();
    else session.clock.pause();
    session.tick();
  };
  const step = (dir: 1 | -1) => {
    session.clock.pause();
    seek(session.clock.now() + dir * FRAME_MS);
  };
  const jumpEvent = (dir: 1 | -1) => {
    const cur = session.clock.now();
    const after = events.filter((e) => e - cur > 500);
    const before = events.filter((e) => cur - e > 500);
    const target = dir > 0 ? after[0] : before[before.length - 1];
    if (target !== undefined) seek(target);
  };

  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const panel = rootRef.current?.closest('.tab-panel') as HTMLElement | null;
      if (panel?.hidden) return;
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
      if (e.key === ' ') togglePlay();
      else if (e.key === ',') step(-1);
      else if (e.key === '.') step(1);
      else if (e.key === '[') jumpEvent(-1);
      else if (e.key === ']') jumpEvent(1);
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const toggleSource = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= MAX_SOURCES ? s : [...s, id]));
  const focusId = focus !== null && selected.includes(focus) ? focus : (selected[0] ?? null);
  const grid = selected.length <= 1 ? 1 : selected.length <= 4 ? 2 : 3;

  const act = (fn: AsyncTask) => void fn().catch(setError);
  const bookmark = () =>
    act(async () => {
      const a = markIn ?? session.clock.now();
      const b = markOut ?? a;
      for (const id of focusId !== null ? [focusId] : [])
        await invApi.addBookmark({ cameraId: id, startMs: Math.round(Math.min(a, b)), endMs: Math.round(Math.max(a, b)), note, caseId });
      setNote('');
      services.toasts.show((tt) => tt('investigation.bookmark.saved'));
      reloadTimelines();
    });
  const snapshot = () =>
    act(async () => {
      if (focusId === null) return;
      const tile = session.tiles.get(focusId);
      const tMs = Math.round(tile?.shownWallMs() ?? session.clock.now());
      const s = await invApi.snapshot({ cameraId: focusId, tMs, note, caseId });
      services.toasts.show((tt) => tt('investigation.snapshot.saved', { sha: s.sha256.slice(0, 12) }));
    });
  const exportSel = () =>
    act(async () => {
      if (markIn === null || markOut === null) throw new Error(t('investigation.needSelection'));
      if (caseId === null) throw new Error(t('investigation.case'));
      await invApi.createExport({
        caseId,
        sources: selected.map((cameraId) => ({ cameraId })),
        startMs: Math.round(Math.min(markIn, markOut)),
        endMs: Math.round(Math.max(markIn, markOut)),
      });
      const ref = cases.find((c) => c.id === caseId)?.reference ?? '';
      services.toasts.show((tt) => tt('investigation.export.started', { reference: ref }));
    });

  return (
    <div class="playback-tab" ref={rootRef}>
      <aside class="pb-side">
        <h3>{t('investigation.sources')}</h3>
        <p class="muted">{t('investigation.sources.hint')}</p>
        <ul class="pb-sources">
          {sources.map((s) => (
            <li key={s.id}>
              <label>
                <input type="checkbox" name={`source-${s.id}`} checked={selected.includes(s.id)} onChange={() => toggleSource(s.id)} /> {s.name}
              </label>
            </li>
          ))}
        </ul>
        <SearchPanel sources={sources} />
      </aside>
      <div class="pb-main">
        {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
        {selected.length === 0 ? <p class="pb-empty muted">{t('investigation.noSources')}</p> : null}
        <div class={`pb-grid pb-grid-${grid}`}>
          {selected.map((id) => (
            <VideoTile key={id} session={session} cameraId={id} name={nameOf(id)} selected={id === focusId} onSelect={() => setFocus(id)} />
          ))}
        </div>
        <TransportBar
          session={session}
          nowMs={now}
          spanMs={spanMs}
          gotoValue={gotoValue}
          onGotoValue={setGotoValue}
          onTogglePlay={togglePlay}
          onStep={step}
          onJumpEvent={jumpEvent}
          onSeek={seek}
          onZoom={zoom}
        />
        <TimelineView
          rows={selected.map((id) => ({ cameraId: id, name: nameOf(id), data: timelines.get(id) ?? null, device: deviceRecords.get(id)?.ranges }))}
          deviceLabel={t('gbRecords.onDevice')}
          viewStartMs={viewStart}
          spanMs={spanMs}
          cursorMs={now}
          markIn={markIn}
          markOut={markOut}
          onSeek={seek}
          onPan={(d) => setViewStart((v) => v + d)}
          onZoom={zoom}
        />
        {focusId !== null && deviceRecords.has(focusId) ? (
          <DeviceRecordsBar
            channelId={focusId}
            records={deviceRecords.get(focusId)!}
            markIn={markIn}
            markOut={markOut}
            onFetched={reloadTimelines}
            onError={setError}
          />
        ) : null}
        <div class="pb-marks">
          <button type="button" name="mark-in" onClick={() => setMarkIn(session.clock.now())}>
            {t('investigation.markIn')}
          </button>
          <button type="button" name="mark-out" onClick={() => setMarkOut(session.clock.now())}>
            {t('investigation.markOut')}
          </button>
          {markIn !== null && markOut !== null ? (
            <span class="muted">
              {t('investigation.selection', { from: formatDateTime(Math.min(markIn, markOut)), to: formatDateTime(Math.max(markIn, markOut)) })}
            </span>
          ) : null}
          <input name="note" placeholder={t('investigation.bookmark.note')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          {canCases ? (
            <select
              name="case"
              value={caseId === null ? '' : String(caseId)}
              onChange={(e) => setCaseId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
            >
              <option value="">{t('investigation.case.none')}</option>
              {cases.map((c) => (
                <option key={c.id} value={String(c.id)}>
                  {c.reference}
                </option>
              ))}
            </select>
          ) : null}
          <button type="button" name="bookmark" onClick={bookmark} disabled={focusId === null}>
            {t('investigation.bookmark')}
          </button>
          {mayOn(focusId === null ? [] : [focusId], 'snapshot') ? (
            <button type="button" name="snapshot" onClick={snapshot} disabled={focusId === null}>
              {t('investigation.snapshot')}
            </button>
          ) : null}
          {canCases && mayOn(selected, 'export') ? (
            <button type="button" name="export" onClick={exportSel} disabled={selected.length === 0}>
              {t('investigation.export')}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
