// Wall toolbar: layout (画面分割) buttons, saved layouts (load/save/delete), tour (轮巡), carousel of layouts, fullscreen, another display.
import { useEffect, useRef, useState } from 'preact/hooks';
import { WALL_LAYOUTS, type WallLayout } from '../../common/api';
import { ErrorBanner } from '../components/error-banner';
import { DisplayIcon, FullscreenIcon, LayoutIcon, TourIcon } from '../components/icons';
import { ConfirmDialog } from '../components/modal';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { argusShell, type ShellDisplay } from '../shell/argus-shell';
import { allSources, groupNames, groupSourceIds } from '../state/sources';
import { useStore } from '../state/store';
import { tileCount } from './geometry';
import { SaveLayoutDialog, TourDialog } from './layout-dialogs';
import { CarouselControl } from './wall-carousel';
import type { WallController } from './wall-controller';
import { tourPages } from './wall-state';

function LayoutButtons({ controller }: { controller: WallController }) {
  const { t } = useI18n();
  const state = useStore(controller.state);
  return (
    <div class="segmented layout-buttons" role="group" aria-label={t('live.layout.label')}>
      {WALL_LAYOUTS.map((kind) => (
        <button
          type="button"
          key={kind}
          data-layout={kind}
          aria-pressed={state.layout === kind}
          title={t('live.layout.option', { count: tileCount(kind) })}
          aria-label={t('live.layout.option', { count: tileCount(kind) })}
          onClick={() => controller.dispatch({ type: 'layout', layout: kind })}
        >
          <LayoutIcon kind={kind} />
          <span class="layout-button-text">{kind}</span>
        </button>
      ))}
    </div>
  );
}

function TourControl({ controller }: { controller: WallController }) {
  const { t } = useI18n();
  const { cameras, units } = useServices();
  const state = useStore(controller.state);
  const cams = useStore(cameras);
  const us = useStore(units);
  const [open, setOpen] = useState(false);
  const sources = allSources(cams, us);
  const tour = state.tour;
  if (tour) {
    const pages = tourPages(groupSourceIds(sources, tour.group).length, tileCount(state.layout));
    return (
      <div class="tour-chip" data-testid="tour-running" role="status">
        <TourIcon />
        <span>{t('live.tour.running', { group: tour.group, seconds: tour.seconds, page: tour.page + 1, pages })}</span>
        <button type="button" class="small" onClick={() => controller.stopTour()}>
          {t('live.tour.stop')}
        </button>
      </div>
    );
  }
  return (
    <>
      <button type="button" class="toolbar-button" onClick={() => setOpen(true)}>
        <TourIcon />
        {t('live.tour.button')}
      </button>
      {open ? (
        <TourDialog
          groups={groupNames(sources)}
          initialGroup={null}
          initialSeconds={10}
          onClose={() => setOpen(false)}
          onStart={(group, seconds) => {
            controller.startTour(group, seconds);
            setOpen(false);
          }}
        />
      ) : null}
    </>
  );
}

function SavedLayouts({ controller }: { controller: WallController }) {
  const { t } = useI18n();
  const { toasts } = useServices();
  const layouts = useStore(controller.layouts);
  const current = useStore(controller.current);
  const error = useStore(controller.error);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<WallLayout | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const list = layouts ?? [];
  const currentLayout = list.find((l) => l.name === current) ?? null;

  const saveCurrent = async () => {
    if (!current) {
      setSaving(true);
      return;
    }
    setSaveError(null);
    try {
      await controller.save(current);
      toasts.show((tr) => tr('live.layouts.saved', { name: current }));
    } catch (err) {
      setSaveError(err);
    }
  };

  return (
    <div class="saved-layouts">
      <select
        aria-label={t('live.layouts.label')}
        disabled={layouts === null}
        onChange={(e) => {
          const l = list.find((x) => String(x.id) === e.currentTarget.value);
          if (l) controller.load(l);
        }}
      >
        <option value="" disabled selected={!currentLayout}>
          {list.length ? t('live.layouts.choose') : t('live.layouts.none')}
        </option>
        {list.map((l) => (
          <option key={l.id} value={String(l.id)} selected={currentLayout?.id === l.id}>
            {l.name}
          </option>
        ))}
      </select>
      <button type="button" class="toolbar-button" title={current ? t('live.layouts.saveHint', { name: current }) : undefined} onClick={saveCurrent}>
        {t('common.save')}
      </button>
      <button type="button" class="toolbar-button" onClick={() => setSaving(true)}>
        {t('live.layouts.saveAs')}
      </button>
      <button
        type="button"
        class="toolbar-button danger"
        disabled={!currentLayout}
        onClick={() => {
          setDeleteError(null);
          setDeleting(currentLayout);
        }}
      >
        {t('live.layouts.delete')}
      </button>
      {saveError || error ? (
        <div class="toolbar-error">
          <ErrorBanner
            error={saveError ?? error}
            onDismiss={() => {
              setSaveError(null);
              controller.error.set(null);
            }}
          />
        </div>
      ) : null}
      {saving ? (
        <SaveLayoutDialog
          initialName={current ?? ''}
          existing={list}
          onClose={() => setSaving(false)}
          onSave={async (name) => {
            await controller.save(name);
            setSaving(false);
            toasts.show((tr) => tr('live.layouts.saved', { name }));
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          message={t('live.layouts.deleteConfirm', { name: deleting.name })}
          confirmLabel={t('live.layouts.delete')}
          busy={deleteBusy}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            setDeleteBusy(true);
            try {
              await controller.remove(deleting);
              const name = deleting.name;
              toasts.show((tr) => tr('live.layouts.deleted', { name }));
              setDeleting(null);
            } catch (err) {
              setDeleteError(err);
            } finally {
              setDeleteBusy(false);
            }
          }}
        >
          {deleteError ? <ErrorBanner error={deleteError} /> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** Lists the displays from the Electron shell and opens a wall window on the chosen one. */
function OpenOnDisplay() {
  const { t } = useI18n();
  const shell = argusShell();
  const [displays, setDisplays] = useState<ShellDisplay[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!displays) return;
    const close = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setDisplays(null);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [displays]);
  if (!shell) return null;
  return (
    <div class="display-menu" ref={box}>
      <button
        type="button"
        class="toolbar-button"
        aria-haspopup="menu"
        aria-expanded={displays !== null}
        onClick={async () => {
          setError(null);
          if (displays) return setDisplays(null);
          try {
            setDisplays(await shell.listDisplays());
          } catch (err) {
            setError(err);
          }
        }}
      >
        <DisplayIcon />
        {t('live.display.open')}
      </button>
      {displays ? (
        <div class="menu" role="menu">
          {displays.length === 0 ? <p class="muted menu-info">{t('live.display.none')}</p> : null}
          {displays.map((d) => (
            <button
              type="button"
              role="menuitem"
              class="menu-item"
              key={d.id}
              data-display-id={d.id}
              onClick={async () => {
                setDisplays(null);
                try {
                  await shell.openWall(d.id);
                } catch (err) {
                  setError(err);
                }
              }}
            >
              {d.label}
              {d.primary ? <span class="tag">{t('live.display.primary')}</span> : null}
            </button>
          ))}
        </div>
      ) : null}
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
    </div>
  );
}

export function WallToolbar({ controller, onFullscreen, compact }: { controller: WallController; onFullscreen: () => void; compact?: boolean }) {
  const { t } = useI18n();
  return (
    <div class="wall-toolbar" role="toolbar" aria-label={t('live.toolbar')}>
      <LayoutButtons controller={controller} />
      {compact ? null : <SavedLayouts controller={controller} />}
      <TourControl controller={controller} />
      <CarouselControl controller={controller} />
      <div class="grow" />
      {compact ? null : <OpenOnDisplay />}
      <button type="button" class="toolbar-button" title={t('live.fullscreenHint')} onClick={onFullscreen}>
        <FullscreenIcon />
        {t('live.fullscreen')}
      </button>
    </div>
  );
}
