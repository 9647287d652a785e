// The Cases tab: case list on the left; the open case's header and legal hold, its live timeline (bookmarks, snapshots, exports) and a new export.
import { holdsGlobally } from '../playback/inv-rights';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/index';
import { openInPlayback } from '../playback/nav';
import { useServices } from '../services';
import { sortedCameras } from '../state/cameras';
import { useStore } from '../state/store';
import { sortedUnits } from '../state/units';
import { CaseHeader } from './case-header';
import { CaseList } from './case-list';
import { CaseTimeline } from './case-timeline';
import { trackDownloads } from './downloads';
import { NewExport } from './new-export';
import { useCaseData } from './use-case-data';
import './cases.css';
import './cases-list.css';
import './case-header.css';
import './case-timeline.css';
import './new-export.css';

export function CasesTab() {
  const { t } = useI18n();
  const services = useServices();
  const cams = useStore(services.cameras);
  const units = useStore(services.units);
  const sources = useMemo(
    () => [...sortedCameras(cams).map((c) => ({ id: c.id, name: c.name })), ...sortedUnits(units).map((u) => ({ id: u.id, name: u.callsign }))],
    [cams, units],
  );
  const nameOf = (id: number) => sources.find((s) => s.id === id)?.name ?? `#${id}`;
  const [sel, setSel] = useState<number | null>(null);
  const data = useCaseData(services.events, sel);
  const kase = data.cases.find((c) => c.id === sel) ?? null;
  useEffect(() => trackDownloads(services.events), [services.events]);
  const play = (cameraIds: number[], atMs: number) => {
    openInPlayback(cameraIds, atMs);
    services.activeTab.set('playback');
  };

  return (
    <div class="cases-tab">
      <CaseList
        cases={data.cases}
        selected={sel}
        onSelect={setSel}
        onCreated={(c) => {
          void data.reloadCases();
          setSel(c.id);
        }}
      />
      <section class="case-main">
        {data.error ? <ErrorBanner error={data.error} onDismiss={() => data.setError(null)} /> : null}
        {kase ? (
          <>
            <CaseHeader
              kase={kase}
              isAdmin={holdsGlobally(services.user, 'cases.releaseHold')}
              onChanged={() => void data.reloadCases()}
              onError={data.setError}
            />
            <div class="case-columns">
              <CaseTimeline
                bookmarks={data.bookmarks}
                snapshots={data.snapshots}
                exports={data.exports}
                nameOf={nameOf}
                onPlay={play}
                onError={data.setError}
              />
              <NewExport kase={kase} sources={sources} />
            </div>
          </>
        ) : (
          <p class="empty muted case-none">{t('investigation.cases.select')}</p>
        )}
      </section>
    </div>
  );
}
