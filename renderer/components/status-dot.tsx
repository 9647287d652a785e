// Camera status marker: colour plus shape (circle, triangle, crossed square, ring) so it reads without colour vision.
import type { CameraState } from '../../common/api';
import { assertNever } from '../../common/events';
import { useI18n } from '../i18n/index';
import { statusKey } from '../labels';

/** Colour family of a state, also used as a CSS class: ok (green), warn (amber), bad (red), off (grey). */
export function statusTone(state: CameraState): 'ok' | 'warn' | 'bad' | 'off' {
  switch (state) {
    case 'recording':
      return 'ok';
    case 'connecting':
    case 'reconnecting':
      return 'warn';
    case 'failed':
      return 'bad';
    case 'stopped':
      return 'off';
    default:
      return assertNever(state);
  }
}

function Shape({ state }: { state: CameraState }) {
  switch (statusTone(state)) {
    case 'ok':
      return <circle cx="6" cy="6" r="5" fill="currentColor" />;
    case 'warn':
      return <path d="M6 0.8 L11.4 10.6 L0.6 10.6 Z" fill="currentColor" />;
    case 'bad':
      return (
        <g>
          <rect x="0.8" y="0.8" width="10.4" height="10.4" rx="1.5" fill="currentColor" />
          <path d="M3.6 3.6 L8.4 8.4 M8.4 3.6 L3.6 8.4" stroke="var(--bg-0)" stroke-width="1.8" stroke-linecap="round" />
        </g>
      );
    case 'off':
      return <circle cx="6" cy="6" r="4.2" fill="none" stroke="currentColor" stroke-width="1.8" />;
  }
}

export function StatusDot({ state }: { state: CameraState }) {
  const { t } = useI18n();
  const label = t(statusKey(state));
  return (
    <svg class={`status-dot tone-${statusTone(state)}`} viewBox="0 0 12 12" width="12" height="12" role="img" aria-label={label} data-state={state}>
      <title>{label}</title>
      <Shape state={state} />
    </svg>
  );
}

/** Dot and the state's name, e.g. in tables. */
export function StatusBadge({ state }: { state: CameraState }) {
  const { t } = useI18n();
  return (
    <span class={`status-badge tone-${statusTone(state)}`} data-state={state}>
      <StatusDot state={state} />
      <span class="status-text">{t(statusKey(state))}</span>
    </span>
  );
}

/** A unit's marker: filled green circle online, grey ring offline (the same shapes as cameras). */
export function OnlineDot({ online }: { online: boolean }) {
  const { t } = useI18n();
  const label = online ? t('units.online') : t('units.offline');
  return (
    <svg class={`status-dot tone-${online ? 'ok' : 'off'}`} viewBox="0 0 12 12" width="12" height="12" role="img" aria-label={label} data-online={online}>
      <title>{label}</title>
      {online ? <circle cx="6" cy="6" r="5" fill="currentColor" /> : <circle cx="6" cy="6" r="4.2" fill="none" stroke="currentColor" stroke-width="1.8" />}
    </svg>
  );
}

export function OnlineBadge({ online }: { online: boolean }) {
  const { t } = useI18n();
  return (
    <span class={`status-badge tone-${online ? 'ok' : 'off'}`} data-online={online}>
      <OnlineDot online={online} />
      <span class="status-text">{online ? t('units.online') : t('units.offline')}</span>
    </span>
  );
}
