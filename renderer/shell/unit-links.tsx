// A unit's two links (video to the hub, GPS telemetry) as two small labelled chips, and a one-line summary for titles.
import type { UnitLinkKind, UnitStatus } from '../../common/api';
import { useI18n, type MessageKey } from '../i18n/index';

/** 'both', 'video', 'telemetry' or 'none': which links are up. */
export function unitLinksUp(s: Pick<UnitStatus, 'video' | 'telemetry'>): 'both' | UnitLinkKind | 'none' {
  if (s.video.online && s.telemetry.online) return 'both';
  if (s.video.online) return 'video';
  if (s.telemetry.online) return 'telemetry';
  return 'none';
}

export const linksKey = (s: Pick<UnitStatus, 'video' | 'telemetry'>): MessageKey => `units.links.${unitLinksUp(s)}`;
const linkKey = (l: UnitLinkKind): MessageKey => `units.link.${l}`;

export function UnitLinks({ status }: { status: UnitStatus }) {
  const { t } = useI18n();
  return (
    <span class="unit-links" data-links={unitLinksUp(status)}>
      {(['video', 'telemetry'] as const).map((l) => (
        <span
          key={l}
          class={`chip unit-link tone-${status[l].online ? 'ok' : 'off'}`}
          data-link={l}
          data-up={status[l].online}
          title={t(status[l].online ? 'units.link.up' : 'units.link.down', { link: t(linkKey(l)) })}
        >
          {t(linkKey(l))}
        </span>
      ))}
    </span>
  );
}
