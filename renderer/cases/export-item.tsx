// One evidence export in the case timeline: state and build progress, cancel, download as ZIP or file by file, download progress.
import { useState } from 'preact/hooks';
import type { DownloadProgress, ExportJob, Manifest } from '../../common/investigation';
import { formatBytes, formatDateTime } from '../format';
import { useI18n, type Lang, type MessageKey } from '../i18n/index';
import { serverMessage } from '../i18n/server-messages';
import { invApi, withToken } from '../playback/inv-api';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { downloads, latestDownload, packageFileUrl, packageZipUrl, startDownload } from './downloads';

function DownloadLine({ d }: { d: DownloadProgress }) {
  const i18n = useI18n();
  const { t } = i18n;
  const file = d.file.split('/').pop() ?? d.file;
  const sent = formatBytes(i18n, d.sentBytes);
  const total = formatBytes(i18n, d.totalBytes);
  const percent = d.totalBytes > 0 ? Math.floor((d.sentBytes / d.totalBytes) * 100) : 0;
  const text =
    d.state === 'done'
      ? t('investigation.download.done', { file, total })
      : d.state === 'failed'
        ? t('investigation.download.failed', { file, sent, total })
        : d.totalBytes === 0
          ? t('investigation.download.starting', { file })
          : t('investigation.download.running', { file, sent, total, percent });
  return (
    <div class="download-line" data-download-state={d.state} data-sent={d.sentBytes} data-total={d.totalBytes}>
      <progress class="download-progress" max={Math.max(1, d.totalBytes)} value={d.sentBytes} />
      <span class="download-text" title={text}>
        {text}
      </span>
    </div>
  );
}

function FileList({ job, userId }: { job: ExportJob; userId: number }) {
  const i18n = useI18n();
  const [files, setFiles] = useState<Manifest['files'] | null>(null);
  const load = () => {
    if (files) return;
    void fetch(withToken(packageFileUrl(job.id, 'manifest.json')))
      .then((r) => r.json())
      .then(
        (m: Manifest) => setFiles([{ path: 'manifest.json', sha256: job.manifestSha256 ?? '', sizeBytes: 0 }, ...m.files]),
        () => setFiles([]),
      );
  };
  return (
    <details class="export-files" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && load()}>
      <summary>{i18n.t('investigation.download.files')}</summary>
      <ul>
        {(files ?? []).map((f) => (
          <li key={f.path}>
            <button
              type="button"
              class="link file-download"
              data-file={f.path}
              title={f.path}
              onClick={() => startDownload(packageFileUrl(job.id, f.path), job.id, f.path, userId)}
            >
              {f.path}
            </button>
            {f.sizeBytes ? <span class="muted num">{formatBytes(i18n, f.sizeBytes)}</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function ExportItem({ job, nameOf, onPlay, onError }: { job: ExportJob; nameOf(id: number): string; onPlay(): void; onError(e: unknown): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const services = useServices();
  const all = useStore(downloads);
  const dl = latestDownload(all, job.id);
  const active = job.state === 'queued' || job.state === 'running';
  return (
    <div class="tl-body">
      <div class="tl-title">
        <strong>{t('investigation.item.export', { id: job.id })}</strong>
        <span class={`chip export-state state-${job.state}`}>{t(`investigation.export.state.${job.state}` as MessageKey)}</span>
      </div>
      <div class="tl-meta">
        {formatDateTime(job.request.startMs)} – {formatDateTime(job.request.endMs)}
      </div>
      <div class="tl-meta" title={job.request.sources.map((s) => nameOf(s.cameraId)).join(', ')}>
        {job.request.sources.map((s) => nameOf(s.cameraId)).join(', ')}
      </div>
      <div class="tl-meta muted">{t('investigation.item.by', { user: job.createdBy, time: formatDateTime(job.createdMs) })}</div>
      {active ? (
        <div class="export-build">
          <progress class="export-progress" max={1} value={job.progress} /> <span class="num">{Math.round(job.progress * 100)} %</span>
          <button type="button" name="cancel-export" class="small" onClick={() => void invApi.cancelExport(job.id).catch(onError)}>
            {t('investigation.export.cancel')}
          </button>
        </div>
      ) : null}
      {job.state === 'failed' ? <p class="error-text tl-error">{failureText(i18n.lang, job)}</p> : null}
      <div class="tl-actions">
        <button type="button" class="link play-link" onClick={onPlay}>
          {t('investigation.item.play')}
        </button>
        {job.state === 'done' ? (
          <button
            type="button"
            class="primary small download-zip"
            name="download-zip"
            onClick={() => startDownload(packageZipUrl(job.id), job.id, `${job.dirName}.zip`, services.user.id)}
          >
            {t('investigation.download.zip')}
          </button>
        ) : null}
      </div>
      {job.state === 'done' ? <FileList job={job} userId={services.user.id} /> : null}
      {dl ? <DownloadLine d={dl} /> : null}
    </div>
  );
}

/** Why an export failed, worded from its reason code (a job that failed before codes existed: a generic reason). */
function failureText(lang: Lang, job: ExportJob): string {
  const generic = serverMessage(lang, 'export.build_failed', {}, 'export.build_failed');
  return job.reason ? serverMessage(lang, job.reason.code, job.reason.params, generic) : generic;
}
