// The Cases tab: cases with reference numbers; per case its bookmarks (open in playback), snapshots, exports with live progress and cancel, new export, legal hold and release (admin).
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Bookmark, Case, ExportJob, Snapshot } from '../../common/investigation';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime, fromDateTimeLocalValue, toDateTimeLocalValue } from '../format';
import { useI18n, type MessageKey } from '../i18n/index';
import { invApi, withToken } from '../playback/inv-api';
import { openInPlayback } from '../playback/nav';
import { useServices } from '../services';
import { sortedCameras } from '../state/cameras';
import { useStore } from '../state/store';
import { sortedUnits } from '../state/units';

function NewExport({ kase, sources, onStarted }: { kase: Case; sources: Array<{ id: number; name: string }>; onStarted(): void }) {
  const { t } = useI18n();
  const [picked, setPicked] = useState<number[]>([]);
  const [from, setFrom] = useState(toDateTimeLocalValue(Date.now() - 3_600_000));
  const [to, setTo] = useState(toDateTimeLocalValue(Date.now()));
  const [reencode, setReencode] = useState(false);
  const [watermark, setWatermark] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const start = () => {
    setError(null);
    invApi
      .createExport({ caseId: kase.id, sources: picked.map((cameraId) => ({ cameraId })), startMs: fromDateTimeLocalValue(from) ?? 0, endMs: fromDateTimeLocalValue(to) ?? 0, reencode, watermark })
      .then(onStarted, setError);
  };
  return (
    <form class="new-export" onSubmit={(e) => {
      e.preventDefault();
      start();
    }}>
      <h4>{t('investigation.export.new')}</h4>
      <fieldset>
        <legend>{t('investigation.export.sources')}</legend>
        {sources.map((s) => (
          <label key={s.id}>
            <input type="checkbox" name={`export-source-${s.id}`} checked={picked.includes(s.id)} onChange={() => setPicked((p) => (p.includes(s.id) ? p.filter((x) => x !== s.id) : [...p, s.id]))} /> {s.name}
          </label>
        ))}
      </fieldset>
      <label>{t('investigation.export.from')} <input type="datetime-local" step="1" name="export-from" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
      <label>{t('investigation.export.to')} <input type="datetime-local" step="1" name="export-to" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
      <label><input type="checkbox" name="reencode" checked={reencode} onChange={(e) => setReencode(e.currentTarget.checked)} /> {t('investigation.export.reencode')}</label>
      <label><input type="checkbox" name="watermark" checked={watermark} onChange={(e) => setWatermark(e.currentTarget.checked)} /> {t('investigation.export.watermark')}</label>
      <button type="submit" class="primary" disabled={picked.length === 0}>{t('investigation.export.start')}</button>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
    </form>
  );
}

export function CasesTab() {
  const { t } = useI18n();
  const services = useServices();
  const isAdmin = services.user.role === 'admin';
  const cams = useStore(services.cameras);
  const units = useStore(services.units);
  const sources = useMemo(
    () => [...sortedCameras(cams).map((c) => ({ id: c.id, name: c.name })), ...sortedUnits(units).map((u) => ({ id: u.id, name: u.callsign }))],
    [cams, units],
  );
  const nameOf = (id: number) => sources.find((s) => s.id === id)?.name ?? `#${id}`;
  const [cases, setCases] = useState<Case[]>([]);
  const [sel, setSel] = useState<number | null>(null);
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [exportsList, setExports] = useState<ExportJob[]>([]);
  const [snaps, setSnaps] = useState<Snapshot[]>([]);
  const [reference, setReference] = useState('');
  const [title, setTitle] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const kase = cases.find((c) => c.id === sel) ?? null;
  // The server's field error on the reference, worded in the user's language (the banner keeps the translated kind).
  const referenceRefused = error instanceof ApiError && error.fieldMessage('reference') !== undefined;

  const reloadCases = () => invApi.cases().then(setCases, setError);
  const reloadCase = (id: number) => {
    invApi.bookmarks({ caseId: id }).then(setBookmarks, setError);
    invApi.exports(id).then(setExports, setError);
    invApi.snapshots({ caseId: id }).then(setSnaps, setError);
  };
  useEffect(() => void reloadCases(), []);
  useEffect(() => {
    if (sel !== null) reloadCase(sel);
  }, [sel]);
  // Live export progress and case changes from the event stream.
  useEffect(
    () =>
      services.events.subscribe((ev) => {
        if (ev.type === 'investigation.export') {
          setExports((list) => (list.some((j) => j.id === ev.export.id) ? list.map((j) => (j.id === ev.export.id ? ev.export : j)) : ev.export.caseId === sel ? [ev.export, ...list] : list));
        } else if (ev.type === 'investigation.case') void reloadCases();
      }),
    [sel],
  );

  const act = (p: Promise<unknown>, after: () => void) => void p.then(after, setError);

  return (
    <div class="cases-tab">
      <aside class="cases-list">
        <h3>{t('investigation.cases.title')}</h3>
        <form class="new-case" onSubmit={(e) => {
          e.preventDefault();
          act(invApi.createCase(reference.trim(), title.trim()), () => {
            setError(null);
            setReference('');
            setTitle('');
            void reloadCases();
          });
        }}>
          <label>{t('investigation.cases.reference')} <input name="case-reference" value={reference} aria-invalid={referenceRefused ? 'true' : undefined} onInput={(e) => setReference(e.currentTarget.value)} /></label>
          {referenceRefused ? <p class="field-error" role="alert" data-field="reference">{t('investigation.cases.referenceInvalid')}</p> : null}
          <label>{t('investigation.cases.titleField')} <input name="case-title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} /></label>
          <button type="submit" class="primary" disabled={!reference.trim()}>{t('investigation.cases.create')}</button>
        </form>
        {cases.length === 0 ? <p class="muted">{t('investigation.cases.empty')}</p> : null}
        <ul>
          {cases.map((c) => (
            <li key={c.id}>
              <button type="button" class={`case-item${c.id === sel ? ' selected' : ''}`} data-case-id={c.id} onClick={() => setSel(c.id)}>
                <strong>{c.reference}</strong> {c.hold ? '🔒' : ''} <span class="muted">{c.title}</span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section class="case-detail">
        {error ? <ErrorBanner error={error} fieldsShown={referenceRefused} onDismiss={() => setError(null)} /> : null}
        {kase ? (
          <>
            <h2>{kase.reference} <span class="muted">{kase.title}</span></h2>
            <div class={`case-hold${kase.hold ? ' held' : ''}`} data-held={kase.hold ? 'true' : 'false'}>
              <h4>{t('investigation.cases.hold')}</h4>
              {kase.hold ? (
                <>
                  <p>{t('investigation.cases.held', { time: formatDateTime(kase.hold.createdMs), segments: kase.hold.segments })} — {kase.hold.reason}</p>
                  {isAdmin ? (
                    <button type="button" name="release" onClick={() => act(invApi.release(kase.id), () => void reloadCases())}>{t('investigation.cases.release')}</button>
                  ) : (
                    <p class="muted">{t('investigation.cases.releaseAdmin')}</p>
                  )}
                </>
              ) : (
                <form onSubmit={(e) => {
                  e.preventDefault();
                  act(invApi.hold(kase.id, reason.trim()), () => {
                    setReason('');
                    void reloadCases();
                  });
                }}>
                  <span class="muted">{t('investigation.cases.notHeld')}</span>{' '}
                  <input name="hold-reason" placeholder={t('investigation.cases.holdReason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
                  <button type="submit" name="hold" disabled={!reason.trim()}>{t('investigation.cases.place')}</button>
                </form>
              )}
            </div>
            <h4>{t('investigation.cases.bookmarks')}</h4>
            <table class="case-bookmarks">
              <tbody>
                {bookmarks.map((b) => (
                  <tr key={b.id}>
                    <td>{nameOf(b.cameraId)}</td>
                    <td>{formatDateTime(b.startMs)} – {formatDateTime(b.endMs)}</td>
                    <td>{b.note}</td>
                    <td>
                      <button type="button" class="link" onClick={() => {
                        openInPlayback([b.cameraId], b.startMs);
                        services.activeTab.set('playback');
                      }}>{t('investigation.cases.open')}</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>{t('investigation.cases.exports')}</h4>
            <table class="case-exports">
              <tbody>
                {exportsList.map((j) => (
                  <tr key={j.id} data-export-id={j.id} data-state={j.state}>
                    <td>#{j.id}</td>
                    <td>{t(`investigation.export.state.${j.state}` as MessageKey)}</td>
                    <td><progress class="export-progress" max={1} value={j.progress} /> {Math.round(j.progress * 100)} %</td>
                    <td>{formatDateTime(j.request.startMs)} – {formatDateTime(j.request.endMs)} · {j.request.sources.map((s) => nameOf(s.cameraId)).join(', ')}</td>
                    <td>{j.createdBy}</td>
                    <td>
                      {j.state === 'queued' || j.state === 'running' ? (
                        <button type="button" name="cancel-export" onClick={() => act(invApi.cancelExport(j.id), () => reloadCase(kase.id))}>{t('investigation.export.cancel')}</button>
                      ) : null}
                      {j.state === 'done' ? <a href={withToken(`/api/v1/export-files/${j.id}/manifest.json`)} target="_blank" rel="noreferrer">{t('investigation.export.manifest')}</a> : null}
                      {j.error ? <span class="muted"> {j.error}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <NewExport kase={kase} sources={sources} onStarted={() => reloadCase(kase.id)} />
            <h4>{t('investigation.cases.snapshots')}</h4>
            <div class="case-snapshots">
              {snaps.map((s) => (
                <figure key={s.id}>
                  <img src={withToken(`/api/v1/snapshot-files/${s.id}.jpg`)} width={160} alt={s.note} />
                  <figcaption>{nameOf(s.cameraId)} · {formatDateTime(s.tMs)} · {s.note}</figcaption>
                </figure>
              ))}
            </div>
          </>
        ) : null}
      </section>
    </div>
  );
}
