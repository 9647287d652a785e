// Wall toolbar's carousel of saved layouts: the running chip (current step, stop) and the dialog that defines and starts one.
import { useState } from 'preact/hooks';
import type { WallLayout } from '../../common/api';
import { CAROUSEL_MAX_STEPS, WALL_MAX_SECONDS, WALL_MIN_SECONDS, type CarouselStep } from '../../common/wall';
import { Svg } from '../components/icons';
import { Modal } from '../components/modal';
import { useI18n } from '../i18n/index';
import { useCan } from '../rights';
import { useStore } from '../state/store';
import type { WallController } from './wall-controller';

function CarouselIcon() {
  return (
    <Svg>
      <rect x="1.5" y="4" width="5.5" height="8" rx="0.8" />
      <rect x="9" y="4" width="5.5" height="8" rx="0.8" />
      <path d="M5 1.8 H11 M9.5 0.6 L11 1.8 L9.5 3" />
    </Svg>
  );
}

interface Row {
  layoutId: number;
  seconds: string;
}

/** The dialog's first rows: the last carousel of this wall (steps still saved), else the first two layouts at 20 s. */
function initialRows(layouts: readonly WallLayout[], last: readonly CarouselStep[] | undefined): Row[] {
  const ids = new Set(layouts.map((l) => l.id));
  const kept = (last ?? []).filter((s) => ids.has(s.layoutId)).map((s) => ({ layoutId: s.layoutId, seconds: String(s.seconds) }));
  if (kept.length >= 2) return kept;
  return layouts.slice(0, 2).map((l) => ({ layoutId: l.id, seconds: '20' }));
}

function secondsOk(v: string): boolean {
  const n = Number(v);
  return v.trim() !== '' && Number.isInteger(n) && n >= WALL_MIN_SECONDS && n <= WALL_MAX_SECONDS;
}

export function CarouselDialog(props: {
  layouts: readonly WallLayout[];
  last?: readonly CarouselStep[];
  onStart: (steps: CarouselStep[]) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Row[]>(() => initialRows(props.layouts, props.last));
  const [tried, setTried] = useState(false);
  const nameOf = (id: number) => props.layouts.find((l) => l.id === id)?.name ?? t('wall.carousel.deletedLayout');
  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const valid = rows.length >= 2 && rows.every((r) => secondsOk(r.seconds));

  const submit = (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (!valid) return;
    props.onStart(rows.map((r) => ({ layoutId: r.layoutId, seconds: Number(r.seconds) })));
  };

  if (props.layouts.length < 2)
    return (
      <Modal title={t('wall.carousel.title')} onClose={props.onClose}>
        <p class="muted">{t('wall.carousel.needTwo')}</p>
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.close')}
          </button>
        </div>
      </Modal>
    );

  return (
    <Modal title={t('wall.carousel.title')} onClose={props.onClose} class="carousel-dialog">
      <form class="form" noValidate onSubmit={submit}>
        <p class="muted tour-explain">{t('wall.carousel.explain')}</p>
        <ol class="carousel-steps">
          {rows.map((r, i) => {
            const n = i + 1;
            const bad = tried && !secondsOk(r.seconds);
            return (
              <li key={i} class="carousel-step" data-step={i}>
                <span class="carousel-step-label">{t('wall.carousel.stepLabel', { n })}</span>
                <select
                  aria-label={t('wall.carousel.layout', { n })}
                  value={String(r.layoutId)}
                  onChange={(e) => set(i, { layoutId: Number(e.currentTarget.value) })}
                >
                  {props.layouts.map((l) => (
                    <option key={l.id} value={String(l.id)}>
                      {l.name}
                    </option>
                  ))}
                </select>
                <input
                  type="number"
                  class="carousel-seconds"
                  aria-label={t('wall.carousel.seconds', { n })}
                  aria-invalid={bad ? 'true' : undefined}
                  min={WALL_MIN_SECONDS}
                  max={WALL_MAX_SECONDS}
                  step={1}
                  value={r.seconds}
                  onInput={(e) => set(i, { seconds: e.currentTarget.value })}
                />
                <span class="muted">{t('wall.carousel.secondsShort')}</span>
                <button
                  type="button"
                  class="icon-button"
                  aria-label={t('wall.carousel.remove', { n })}
                  title={t('wall.carousel.remove', { n })}
                  disabled={rows.length <= 2}
                  onClick={() => setRows(rows.filter((_, k) => k !== i))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ol>
        {tried && rows.some((r) => !secondsOk(r.seconds)) ? (
          <div class="field-error" role="alert">
            {t('wall.carousel.secondsRange', { min: WALL_MIN_SECONDS, max: WALL_MAX_SECONDS })}
          </div>
        ) : null}
        <div class="carousel-add">
          <button
            type="button"
            class="small"
            disabled={rows.length >= CAROUSEL_MAX_STEPS}
            onClick={() => setRows([...rows, { layoutId: props.layouts[0]!.id, seconds: rows.at(-1)?.seconds ?? '20' }])}
          >
            {t('wall.carousel.add')}
          </button>
          {rows.length >= CAROUSEL_MAX_STEPS ? <span class="muted">{t('wall.carousel.tooMany', { max: CAROUSEL_MAX_STEPS })}</span> : null}
        </div>
        <p class="muted carousel-preview">
          {t('wall.carousel.preview', { steps: rows.map((r) => t('wall.carousel.stepSummary', { name: nameOf(r.layoutId), seconds: r.seconds })).join(' → ') })}
        </p>
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary">
            {t('wall.carousel.start')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The toolbar's carousel: a chip while it runs (layout of the step, step N of M, dwell; Stop), else a button opening the dialog. */
export function CarouselControl({ controller }: { controller: WallController }) {
  const { t } = useI18n();
  const can = useCan();
  const state = useStore(controller.state);
  const layouts = useStore(controller.layouts);
  const [open, setOpen] = useState(false);
  if (!can('wall.carousel')) return null;
  const c = state.carousel;
  if (c?.running) {
    const step = c.steps[c.step];
    const name = (layouts ?? []).find((l) => l.id === step?.layoutId)?.name ?? t('wall.carousel.deletedLayout');
    const full = t('wall.carousel.running', { name, step: c.step + 1, steps: c.steps.length, seconds: step?.seconds ?? 0 });
    return (
      <div class="tour-chip carousel-chip" data-testid="carousel-running" data-step={c.step} role="status" title={full} aria-label={full}>
        <CarouselIcon />
        <span class="carousel-chip-text" aria-hidden="true">
          <span class="carousel-chip-name">{name}</span>
          {t('wall.carousel.chipStep', { step: c.step + 1, steps: c.steps.length, seconds: step?.seconds ?? 0 })}
        </span>
        <button type="button" class="small" aria-label={t('wall.carousel.stop')} title={t('wall.carousel.stop')} onClick={() => controller.stopCarousel()}>
          {t('wall.carousel.stopShort')}
        </button>
      </div>
    );
  }
  return (
    <>
      <button type="button" class="toolbar-button" title={t('wall.carousel.buttonHint')} disabled={layouts === null} onClick={() => setOpen(true)}>
        <CarouselIcon />
        {t('wall.carousel.button')}
      </button>
      {open && layouts ? (
        <CarouselDialog
          layouts={layouts}
          last={c?.steps}
          onClose={() => setOpen(false)}
          onStart={(steps) => {
            controller.startCarousel(steps);
            setOpen(false);
          }}
        />
      ) : null}
    </>
  );
}
