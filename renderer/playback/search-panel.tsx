// Search in the Playback tab: by source, time range, event type (a list of the known types), bookmark text and place; a result opens playback at its moment.
import { useState } from 'preact/hooks';
import { DEVICE_EVENT_TYPES, type DeviceEventType } from '../../common/device-events';
import type { SearchHit, SearchQuery } from '../../common/investigation';
import { typeKey } from '../alarms/labels';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime, fromDateTimeLocalValue, toDateTimeLocalValue } from '../format';
import { useI18n, type MessageKey } from '../i18n/index';
import { invApi } from './inv-api';
import { openInPlayback } from './nav';

export function SearchPanel({ sources }: { sources: Array<{ id: number; name: string }> }) {
  const { t } = useI18n();
  const [f, setF] = useState({
    from: toDateTimeLocalValue(Date.now() - 86_400_000),
    to: toDateTimeLocalValue(Date.now()),
    eventType: '',
    text: '',
    lat: '',
    lon: '',
    radius: '',
  });
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof f, v: string) => setF((x) => ({ ...x, [k]: v }));
  const run = () => {
    // The fields have minute precision: "to 16:05" includes 16:05:59, so the default (the minute the panel opened) keeps its last seconds.
    const to = fromDateTimeLocalValue(f.to);
    const q: SearchQuery = { startMs: fromDateTimeLocalValue(f.from) ?? 0, endMs: to === null ? Date.now() : to + 60_000 };
    if (f.eventType) q.eventType = f.eventType;
    if (f.text.trim()) q.text = f.text.trim();
    if (f.lat && f.lon && f.radius) Object.assign(q, { lat: Number(f.lat), lon: Number(f.lon), radiusM: Number(f.radius) });
    setError(null);
    invApi.search(q).then(setHits, setError);
  };
  const name = (id: number) => sources.find((s) => s.id === id)?.name ?? `#${id}`;
  const eventLabel = (type: string) => ((DEVICE_EVENT_TYPES as readonly string[]).includes(type) ? t(typeKey(type as DeviceEventType)) : type);
  return (
    <form
      class="pb-search"
      onSubmit={(e) => {
        e.preventDefault();
        run();
      }}
    >
      <h3>{t('investigation.search')}</h3>
      <label>
        {t('investigation.search.from')}
        <input type="datetime-local" name="search-from" value={f.from} onInput={(e) => set('from', e.currentTarget.value)} />
      </label>
      <label>
        {t('investigation.search.to')}
        <input type="datetime-local" name="search-to" value={f.to} onInput={(e) => set('to', e.currentTarget.value)} />
      </label>
      <label>
        {t('investigation.search.eventType')}
        <select name="search-event" value={f.eventType} onChange={(e) => set('eventType', e.currentTarget.value)}>
          <option value="">{t('investigation.search.anyEvent')}</option>
          {DEVICE_EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(typeKey(type))}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('investigation.search.text')}
        <input name="search-text" value={f.text} onInput={(e) => set('text', e.currentTarget.value)} />
      </label>
      <div class="pb-search-place">
        <label>
          {t('investigation.search.lat')}
          <input name="search-lat" inputMode="decimal" value={f.lat} onInput={(e) => set('lat', e.currentTarget.value)} />
        </label>
        <label>
          {t('investigation.search.lon')}
          <input name="search-lon" inputMode="decimal" value={f.lon} onInput={(e) => set('lon', e.currentTarget.value)} />
        </label>
        <label>
          {t('investigation.search.radius')}
          <input name="search-radius" inputMode="numeric" value={f.radius} onInput={(e) => set('radius', e.currentTarget.value)} />
        </label>
      </div>
      <button type="submit" class="primary">
        {t('investigation.search')}
      </button>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {hits ? (
        <>
          <p class="muted">{hits.length ? t('investigation.search.results', { count: hits.length }) : t('investigation.search.none')}</p>
          <ul class="pb-hits">
            {hits.map((h, i) => (
              <li key={i}>
                <button type="button" class="link" onClick={() => openInPlayback([h.cameraId], h.atMs)}>
                  {t(`investigation.hit.${h.kind}` as MessageKey)} · {name(h.cameraId)} · {formatDateTime(h.atMs)}
                  {h.distanceM !== undefined ? ` · ${t('investigation.search.distance', { m: h.distanceM })}` : ''}{' '}
                  {h.kind === 'bookmark' ? `· ${h.label}` : h.kind === 'event' ? `· ${eventLabel(h.label)}` : ''}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </form>
  );
}
