// GB/T 28181 device recordings in the Playback tab: the ranges a selected GB channel keeps on its device, and fetching a marked range into Argus's recordings.
import { useEffect, useState } from 'preact/hooks';
import * as E from '../../common/endpoints';
import type { DeviceDownload, DeviceRecords } from '../../common/gb28181-records';
import { api, ApiError } from '../api';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/index';
import { serverMessage } from '../i18n/server-messages';
import type { OrgState } from '../devices/org-state';

export const gbRecordsApi = {
  records: (id: number, startMs: number, endMs: number) => api.call(E.getChannelsByidDeviceRecords, { params: { id }, query: { startMs, endMs } }),
  download: (id: number, startMs: number, endMs: number) => api.call(E.postChannelsByidDeviceDownloads, { params: { id }, body: { startMs, endMs } }),
  get: (id: number, downloadId: number) => api.call(E.getChannelsByidDeviceDownloadsBydownloadId, { params: { id, downloadId } }),
  cancel: (id: number, downloadId: number) => api.call(E.deleteChannelsByidDeviceDownloadsBydownloadId, { params: { id, downloadId } }),
};

/** The channels of GB/T 28181 devices (not in the camera list), as Playback sources, by name. */
export function gbChannelSources(org: OrgState): Array<{ id: number; name: string }> {
  const out: Array<{ id: number; name: string }> = [];
  for (const d of org.devices.values()) if (d.kind === 'gb28181') for (const c of d.channels) out.push({ id: c.id, name: c.name });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Channels the server said are not GB/T 28181 ones (asked once per console session). */
const notGb = new Set<number>();
const MAX_WINDOW_MS = 7 * 86_400_000;

/** The device ranges of the selected channels that are GB channels, for [fromMs, toMs) (at most 7 days). */
export function useDeviceRecords(ids: readonly number[], fromMs: number, toMs: number, reloadKey: string): Map<number, DeviceRecords> {
  const [data, setData] = useState<Map<number, DeviceRecords>>(new Map());
  useEffect(() => {
    let cancelled = false;
    const asked = ids.filter((id) => !notGb.has(id));
    if (asked.length === 0 || toMs - fromMs > MAX_WINDOW_MS) {
      setData(new Map());
      return;
    }
    void Promise.all(
      asked.map((id) =>
        gbRecordsApi.records(id, fromMs, toMs).then(
          (r) => [id, r] as const,
          (e: unknown) => {
            if (e instanceof ApiError && e.code === 'gb.records_not_gb_channel') notGb.add(id);
            return null;
          },
        ),
      ),
    ).then((list) => {
      if (!cancelled) setData(new Map(list.filter((x): x is readonly [number, DeviceRecords] => x !== null)));
    });
    return () => {
      cancelled = true;
    };
  }, [reloadKey]);
  return data;
}

export interface DeviceRecordsBarProps {
  channelId: number;
  records: DeviceRecords;
  markIn: number | null;
  markOut: number | null;
  /** A download ended: the timeline reloads (Argus now holds the range). */
  onFetched(): void;
  onError(e: unknown): void;
}

/** The "on device" line of the focused GB channel: its ranges in view, the fetch button, the downloads of the window. */
export function DeviceRecordsBar(p: DeviceRecordsBarProps) {
  const { t, lang } = useI18n();
  const [downloads, setDownloads] = useState<DeviceDownload[]>(p.records.downloads);
  useEffect(() => setDownloads(p.records.downloads), [p.records]);
  const running = downloads.filter((d) => d.state === 'running');
  // Poll running downloads until they end.
  useEffect(() => {
    if (running.length === 0) return;
    const timer = setInterval(() => {
      void Promise.all(running.map((d) => gbRecordsApi.get(p.channelId, d.id))).then((fresh) => {
        setDownloads((list) => list.map((d) => fresh.find((f) => f.id === d.id) ?? d));
        if (fresh.some((f) => f.state !== 'running')) p.onFetched();
      }, p.onError);
    }, 1500);
    return () => clearInterval(timer);
  }, [running.map((d) => d.id).join(',')]);

  const fetchRange = () => {
    if (p.markIn === null || p.markOut === null) return p.onError(new Error(t('gbRecords.needSelection')));
    const from = Math.round(Math.min(p.markIn, p.markOut));
    const to = Math.round(Math.max(p.markIn, p.markOut));
    gbRecordsApi.download(p.channelId, from, to).then((d) => setDownloads((list) => [...list, d]), p.onError);
  };
  const stateText = (d: DeviceDownload) => {
    const seconds = Math.round(d.receivedMs / 1000);
    switch (d.state) {
      case 'running':
        return t('gbRecords.state.running', { seconds });
      case 'done':
        return t('gbRecords.state.done', { seconds });
      case 'failed':
        return t('gbRecords.state.failed', { reason: serverMessage(lang, d.errorCode ?? undefined, {}, d.errorCode ?? '') });
      case 'cancelled':
        return t('gbRecords.state.cancelled');
    }
  };
  return (
    <div class="pb-device-bar" data-device-channel={p.channelId}>
      <span class="pb-device-legend" aria-hidden="true" />
      <strong>{t('gbRecords.title')}</strong>
      <span class="pb-device-count" data-ranges={p.records.ranges.length}>
        {p.records.ranges.length === 0 ? t('gbRecords.none') : t('gbRecords.ranges', { count: p.records.ranges.length })}
        {p.records.complete ? '' : ` (${t('gbRecords.partial')})`}
      </span>
      <button type="button" name="device-fetch" title={t('gbRecords.fetchHint')} onClick={fetchRange} disabled={p.markIn === null || p.markOut === null}>
        {t('gbRecords.fetch')}
      </button>
      {downloads.length > 0 ? (
        <ul class="pb-device-downloads">
          {downloads.map((d) => (
            <li key={d.id} data-download-id={d.id} data-state={d.state}>
              {t('gbRecords.download', { from: formatDateTime(d.startMs), to: formatDateTime(d.endMs), user: d.username ?? '—' })} — {stateText(d)}{' '}
              {d.state === 'running' ? (
                <button type="button" name="device-fetch-cancel" onClick={() => gbRecordsApi.cancel(p.channelId, d.id).then(p.onFetched, p.onError)}>
                  {t('gbRecords.cancel')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
