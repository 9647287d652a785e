// Modal dialog (forms, confirmations): a titled panel over a dimmed backdrop; Esc or the close button cancels.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/index';

/** `keepOnBackdrop`: a click beside the dialog does not close it (dialogs showing something only once). */
export function Modal(props: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean; class?: string; keepOnBackdrop?: boolean }) {
  const { t } = useI18n();
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>('[autofocus], input:not([type=hidden]), select, textarea, button.primary');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose.current();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      before?.focus?.();
    };
  }, []);

  return (
    <div class="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !props.keepOnBackdrop && props.onClose()}>
      <div
        ref={panel}
        class={`modal${props.wide ? ' modal-wide' : ''}${props.class ? ` ${props.class}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
      >
        <header class="modal-header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" class="icon-button" aria-label={t('common.close')} onClick={props.onClose}>
            ×
          </button>
        </header>
        <div class="modal-body">{props.children}</div>
      </div>
    </div>
  );
}

/** Asks before a destructive action; the confirm button shows the action's own name. */
export function ConfirmDialog(props: {
  message: string;
  confirmLabel: string;
  busy?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <Modal title={t('common.confirmTitle')} onClose={props.onCancel} class="confirm-dialog">
      <p class="confirm-message">{props.message}</p>
      {props.children}
      <div class="form-actions">
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" class="danger primary" disabled={props.busy} onClick={props.onConfirm} autofocus>
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
