// Short confirmations ("Camera saved") in the corner; they fade after a few seconds and follow the language switch.
import { useI18n, type Translate } from '../i18n/index';
import { Store, useStore } from '../state/store';

export interface Toast {
  id: number;
  /** Rendered at display time, so a language switch also changes visible toasts. */
  message: (t: Translate) => string;
}

export class Toasts extends Store<readonly Toast[]> {
  private nextId = 1;
  constructor(private readonly lifetimeMs = 4000) {
    super([]);
  }

  show(message: (t: Translate) => string): void {
    const id = this.nextId++;
    this.update((list) => [...list.slice(-3), { id, message }]);
    setTimeout(() => this.update((list) => list.filter((x) => x.id !== id)), this.lifetimeMs);
  }
}

export function ToastArea({ toasts }: { toasts: Toasts }) {
  const { t } = useI18n();
  const list = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((x) => (
        <div key={x.id} class="toast">
          {x.message(t)}
        </div>
      ))}
    </div>
  );
}
