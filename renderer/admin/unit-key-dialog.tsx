// Shows a unit's new stream key and publish URL exactly once (after create or rotate), with its id, copy buttons and a warning.
import { useRef, useState } from 'preact/hooks';
import type { UnitKey } from '../../common/api';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';

/** Copies text: the async clipboard where allowed (secure contexts), else the selected input and execCommand. */
export async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  if (!input) return false;
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

function SecretField({ label, value, name }: { label: string; value: string; name: string }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div class="field field-wide secret-field" data-field={name}>
      <label for={`f-${name}`}>{label}</label>
      <div class="secret-row">
        <input ref={input} id={`f-${name}`} class="mono" readOnly value={value} spellcheck={false} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="copy-button" onClick={async () => setCopied(await copyText(value, input.current))}>
          {copied ? t('unitKey.copied') : t('unitKey.copy')}
        </button>
      </div>
      {copied === false ? <div class="field-hint">{t('unitKey.copyFailed')}</div> : null}
    </div>
  );
}

/** The field agent's command line: code, typed as is; only the argument to replace is worded in the user's language. */
function agentCommand(server: string, keyArg: string): string {
  return `npm run agent -- --server ${server} --key <${keyArg}>`;
}

/** The server address for the agent: this console's, or where the unit publishes when the console runs on the server itself. */
function agentServer(publishUrl: string): string {
  const here = new URL(location.origin);
  try {
    const pub = new URL(publishUrl.replace(/^rtmps?:/, 'http:'));
    if (['localhost', '127.0.0.1', '[::1]'].includes(here.hostname) && pub.hostname) here.hostname = pub.hostname;
  } catch {
    // keep this console's address
  }
  return here.origin;
}

export function UnitKeyDialog({ unitKey, rotated, onClose }: { unitKey: UnitKey; rotated: boolean; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal title={t('unitKey.title', { name: unitKey.unit.callsign })} onClose={onClose} wide keepOnBackdrop class="unit-key-dialog">
      <div class="banner banner-warn" role="alert">
        <span class="banner-icon" aria-hidden="true">
          !
        </span>
        <div class="banner-text">
          <strong>{t('unitKey.onceTitle')}</strong>
          <span class="banner-detail">{rotated ? t('unitKey.onceRotated') : t('unitKey.onceBody')}</span>
        </div>
      </div>
      <SecretField label={t('unitKey.unitId')} value={String(unitKey.unit.id)} name="unitId" />
      <SecretField label={t('unitKey.publishUrl')} value={unitKey.publishUrl} name="publishUrl" />
      <SecretField label={t('unitKey.streamKey')} value={unitKey.streamKey} name="streamKey" />
      <p class="muted form-note">{t('unitKey.howto')}</p>
      <p class="muted form-note unit-key-agent">
        {t('unitKey.agent')} <code class="mono">{agentCommand(agentServer(unitKey.publishUrl), t('screens.unitKey.keyArg'))}</code>
      </p>
      <div class="form-actions">
        <button type="button" class="primary" onClick={onClose}>
          {t('unitKey.done')}
        </button>
      </div>
    </Modal>
  );
}
