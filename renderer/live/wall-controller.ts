// One video wall's live state: the reducer in a Store, tour and carousel timers, saved layouts, the wall remembered on the server per window.
import type { WallLayout } from '../../common/api';
import type { ApiClient } from '../api';
import { Store } from '../state/store';
import { tileCount } from './geometry';
import type { WallStateApi } from './wall-api';
import { carouselKey, stateBody, stateFromBody, stateKey, type KindOf } from './wall-persist';
import { emptyWall, layoutBody, wallReducer, type CarouselState, type WallAction, type WallState } from './wall-state';

export interface WallControllerOptions {
  api: Pick<ApiClient, 'listLayouts' | 'saveLayout' | 'deleteLayout'> & WallStateApi;
  /** Source ids of a device tree group, in tree order (the tour's cycle), read at every step. */
  groupSources: (group: string) => number[];
  /** Camera or unit (what the server checks a remembered tile against). */
  kindOf: KindOf;
  /** The window whose wall is remembered on the server: 0 = the Live tab, else a wall window's display id. */
  windowId: number;
  /** Whether the user may define and run a carousel (right wall.carousel); without it none is restored or saved. */
  canCarousel: boolean;
  /** localStorage key remembering the last loaded or saved layout name (what "Save" overwrites); null: not remembered. */
  lastNameKey: string | null;
  /** A layout loaded when the server remembers no wall for the window yet (a wall window's former autosave `wall-<id>`). */
  fallbackName?: string;
  /** Debounce of remembering the wall after a change. */
  rememberDelayMs?: number;
  /** Where the last name is remembered; default localStorage. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  log?: (msg: string) => void;
}

function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export class WallController {
  readonly state = new Store<WallState>(emptyWall('4'));
  /** The user's saved layouts, null until loaded. */
  readonly layouts = new Store<WallLayout[] | null>(null);
  /** Name of the layout last loaded or saved (what "Save" overwrites), null for an unsaved wall. */
  readonly current = new Store<string | null>(null);
  /**
   * Tiles an alarm rule placed (tile index → alarm id): drawn with an alarm frame until the alarm is acknowledged
   * (unmarkAlarms) or the tile shows another source (replaced, cleared, swapped, a layout loaded).
   */
  readonly alarmTiles = new Store<ReadonlyMap<number, number>>(new Map());
  /** Error of the last layout request (shown by the toolbar), null when fine. */
  readonly error = new Store<unknown>(null);
  private tourTimer: ReturnType<typeof setInterval> | null = null;
  private tourKey = '';
  private carouselTimer: ReturnType<typeof setTimeout> | null = null;
  private carouselTimerKey = '';
  private rememberTimer: ReturnType<typeof setTimeout> | null = null;
  /** stateKey / carouselKey of what the server holds; null until init() has read it (nothing is saved before). */
  private savedState: string | null = null;
  private savedCarousel: string | null = null;
  private unknownRetries = 0;
  private readonly unsub: () => void;
  private closed = false;
  /** The running init() (the remembered layout is on its way): placements wait for it, else the layout would overwrite them. */
  private initializing: Promise<void> | null = null;
  /** Per slot, when its source was put there (a counter, higher = newer): "oldest" for placing on a full wall. */
  private placedAt: number[] = [];
  private placeClock = 0;
  private prevTiles: ReadonlyArray<number | null> = [];

  private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;

  constructor(private readonly o: WallControllerOptions) {
    this.storage = o.storage === undefined ? defaultStorage() : o.storage;
    this.unsub = this.state.subscribe((s) => this.onState(s));
  }

  dispatch(action: WallAction): void {
    const s = this.state.get();
    if (action.type === 'layout' && s.tour) action = { ...action, tourSources: this.o.groupSources(s.tour.group) };
    this.state.set(wallReducer(s, action));
  }

  /** Puts a source on the selected tile (else the first empty one) and selects the next tile, like filling a wall by double-clicks. */
  openSource(sourceId: number): void {
    this.afterInit(() => this.openNow(sourceId));
  }

  /**
   * Shows a source without disturbing what is on the wall ("watch live" from the map): the tile already showing it,
   * else the first free visible tile, else (the wall is full) the tile whose source has been there longest. Selects it.
   */
  placeSource(sourceId: number): void {
    this.afterInit(() => this.placeNow(sourceId));
  }

  private afterInit(fn: () => void): void {
    if (this.initializing) void this.initializing.then(() => !this.closed && fn());
    else fn();
  }

  private placeNow(sourceId: number): void {
    const s = this.state.get();
    const visible = s.tiles.slice(0, tileCount(s.layout));
    let target = visible.indexOf(sourceId);
    if (target < 0) target = visible.indexOf(null);
    if (target < 0) {
      target = 0;
      for (let i = 1; i < visible.length; i++) if ((this.placedAt[i] ?? 0) < (this.placedAt[target] ?? 0)) target = i;
    }
    if (visible[target] !== sourceId) this.dispatch({ type: 'assign', index: target, sourceId });
    this.dispatch({ type: 'select', index: target });
  }

  private openNow(sourceId: number): void {
    const s = this.state.get();
    const count = tileCount(s.layout);
    let target = s.selected;
    if (target === null || target >= count) {
      const empty = s.tiles.slice(0, count).indexOf(null);
      target = empty >= 0 ? empty : 0;
    }
    this.dispatch({ type: 'assign', index: target, sourceId });
    this.dispatch({ type: 'select', index: (target + 1) % count });
  }

  /** Frames tile `index` as placed by alarm `alarmId`. */
  markAlarm(index: number, alarmId: number): void {
    if (this.alarmTiles.get().get(index) === alarmId) return;
    this.alarmTiles.set(new Map(this.alarmTiles.get()).set(index, alarmId));
  }

  /** Removes the frames of the alarms `keep` says no longer need one (acknowledged, closed). */
  unmarkAlarms(keep: (alarmId: number) => boolean): void {
    const marks = this.alarmTiles.get();
    const next = new Map([...marks].filter(([, id]) => keep(id)));
    if (next.size !== marks.size) this.alarmTiles.set(next);
  }

  startTour(group: string, seconds: number): void {
    this.dispatch({ type: 'tourStart', group, seconds, sources: this.o.groupSources(group) });
  }

  stopTour(): void {
    this.dispatch({ type: 'tourStop' });
  }

  /** Loads the saved layouts, then the wall window's own layout or the remembered last one. */
  init(): Promise<void> {
    const run = this.initNow().finally(() => {
      if (this.initializing === run) this.initializing = null;
    });
    this.initializing = run;
    return run;
  }

  /** The remembered wall of this window (sources gone since come back empty), else the fallback or last loaded layout. */
  private async initNow(): Promise<void> {
    const [list, view] = await Promise.all([
      this.refreshLayouts(),
      this.o.api.getWallState(this.o.windowId).catch((err: unknown) => (this.error.set(err), null)),
    ]);
    if (this.closed) return;
    const remembered = this.rememberedName();
    const named = remembered ? list?.find((l) => l.name === remembered) : undefined;
    if (view?.state) {
      const carousel = this.o.canCarousel ? view.carousel : null;
      const wall = stateFromBody(view.state, carousel);
      this.state.set(wallReducer(this.state.get(), { type: 'resume', wall, sources: wall.tour ? this.o.groupSources(wall.tour.group) : undefined }));
      if (named) this.current.set(named.name);
      this.markSaved();
      if (carousel?.running) this.showStep(carousel.step);
      return;
    }
    const wanted = this.o.fallbackName ?? remembered;
    const found = wanted ? list?.find((l) => l.name === wanted) : undefined;
    if (found) this.load(found);
    this.savedState = '';
    this.savedCarousel = carouselKey(this.state.get());
    if (found) this.scheduleRemember();
  }

  private markSaved(): void {
    this.savedState = stateKey(this.state.get());
    this.savedCarousel = carouselKey(this.state.get());
  }

  /** Starts a carousel of saved layouts at its first step. */
  startCarousel(steps: CarouselState['steps']): void {
    const layout = this.layoutById(steps[0]?.layoutId);
    if (!layout || steps.length < 2) return;
    this.state.set(wallReducer(this.state.get(), { type: 'carouselStart', steps, layout, sources: this.tourSourcesOf(layout) }));
  }

  stopCarousel(): void {
    this.dispatch({ type: 'carouselStop' });
  }

  private layoutById(id: number | undefined): WallLayout | undefined {
    return id === undefined ? undefined : (this.layouts.get() ?? []).find((l) => l.id === id);
  }

  private tourSourcesOf(l: WallLayout): number[] | undefined {
    return l.tourGroup ? this.o.groupSources(l.tourGroup) : undefined;
  }

  /** Shows step `step` of the running carousel, else the next step whose layout still exists. */
  private showStep(step: number): void {
    const c = this.state.get().carousel;
    if (!c?.running) return;
    for (let k = 0; k < c.steps.length; k++) {
      const i = (step + k) % c.steps.length;
      const layout = this.layoutById(c.steps[i]!.layoutId);
      if (!layout) continue;
      this.state.set(wallReducer(this.state.get(), { type: 'carouselStep', step: i, layout, sources: this.tourSourcesOf(layout) }));
      return;
    }
  }

  private armCarousel(s: WallState, force = false): void {
    const c = s.carousel;
    const key = c?.running ? `${c.step}\u0000${JSON.stringify(c.steps)}` : '';
    if (key === this.carouselTimerKey && !force) return;
    if (this.carouselTimer !== null) clearTimeout(this.carouselTimer);
    this.carouselTimer = null;
    this.carouselTimerKey = key;
    if (!c?.running) return;
    const seconds = c.steps[c.step]?.seconds ?? c.steps[0]!.seconds;
    this.carouselTimer = setTimeout(() => {
      this.carouselTimer = null;
      if (this.closed) return;
      const now = this.state.get().carousel;
      if (!now?.running) return;
      this.showStep(now.step + 1);
      this.armCarousel(this.state.get(), true);
    }, seconds * 1000);
  }

  async refreshLayouts(): Promise<WallLayout[] | null> {
    try {
      const list = await this.o.api.listLayouts();
      if (this.closed) return null;
      this.layouts.set(list);
      this.error.set(null);
      return list;
    } catch (err) {
      this.error.set(err);
      return null;
    }
  }

  load(layout: WallLayout): void {
    this.state.set(wallReducer(this.state.get(), { type: 'load', layout, sources: layout.tourGroup ? this.o.groupSources(layout.tourGroup) : undefined }));
    this.current.set(layout.name);
    this.remember(layout.name);
  }

  /** Saves the wall under `name` (replacing a layout of that name); throws the API error. */
  async save(name: string): Promise<WallLayout> {
    const saved = await this.o.api.saveLayout(layoutBody(this.state.get(), name));
    this.current.set(saved.name);
    this.remember(saved.name);
    const list = this.layouts.get() ?? [];
    this.layouts.set([...list.filter((l) => l.name !== saved.name && l.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)));
    return saved;
  }

  async remove(layout: WallLayout): Promise<void> {
    await this.o.api.deleteLayout(layout.id);
    this.layouts.set((this.layouts.get() ?? []).filter((l) => l.id !== layout.id));
    if (this.current.get() === layout.name) {
      this.current.set(null);
      this.remember(null);
    }
  }

  close(): void {
    this.closed = true;
    this.unsub();
    this.stopTimer();
    if (this.carouselTimer !== null) clearTimeout(this.carouselTimer);
    if (this.rememberTimer !== null) clearTimeout(this.rememberTimer);
  }

  private rememberedName(): string | null {
    if (!this.o.lastNameKey) return null;
    try {
      return this.storage?.getItem(this.o.lastNameKey) ?? null;
    } catch {
      return null;
    }
  }

  private remember(name: string | null): void {
    if (!this.o.lastNameKey) return;
    try {
      if (name === null) this.storage?.removeItem(this.o.lastNameKey);
      else this.storage?.setItem(this.o.lastNameKey, name);
    } catch {
      // not remembered
    }
  }

  private stopTimer(): void {
    if (this.tourTimer !== null) clearInterval(this.tourTimer);
    this.tourTimer = null;
    this.tourKey = '';
  }

  private onState(s: WallState): void {
    // Stamp each slot whose source changed (loads and tour pages too, in tile order); its alarm frame goes.
    let marks: Map<number, number> | null = null;
    for (let i = 0; i < s.tiles.length; i++) {
      if (s.tiles[i] === this.prevTiles[i]) continue;
      if (s.tiles[i] !== null) this.placedAt[i] = ++this.placeClock;
      if (this.alarmTiles.get().has(i)) (marks ??= new Map(this.alarmTiles.get())).delete(i);
    }
    this.prevTiles = s.tiles;
    if (marks) this.alarmTiles.set(marks);
    // Tour timer follows the tour's group, period and tile count.
    const key = s.tour ? `${s.tour.group}\u0000${s.tour.seconds}\u0000${s.layout}` : '';
    if (key !== this.tourKey) {
      this.stopTimer();
      if (s.tour) {
        const group = s.tour.group;
        this.tourKey = key;
        this.tourTimer = setInterval(() => this.dispatch({ type: 'tourTick', sources: this.o.groupSources(group) }), s.tour.seconds * 1000);
      }
    }
    this.armCarousel(s);
    if (this.savedState !== null && (stateKey(s) !== this.savedState || carouselKey(s) !== this.savedCarousel)) this.scheduleRemember();
  }

  /** Sends a pending change now (the page is being left). */
  flush(): void {
    if (this.rememberTimer === null) return;
    clearTimeout(this.rememberTimer);
    this.rememberTimer = null;
    void this.rememberNow();
  }

  /** Remembers the wall on the server shortly after the last change (a burst of changes is one request). */
  private scheduleRemember(): void {
    if (this.rememberTimer !== null) clearTimeout(this.rememberTimer);
    this.rememberTimer = setTimeout(() => {
      this.rememberTimer = null;
      void this.rememberNow();
    }, this.o.rememberDelayMs ?? 600);
  }

  private async rememberNow(): Promise<void> {
    if (this.closed) return;
    const s = this.state.get();
    const w = this.o.windowId;
    try {
      if (stateKey(s) !== this.savedState) {
        // A source the console does not know yet (lists still loading): try again shortly, then save it as gone.
        const body = stateBody(s, this.o.kindOf, this.unknownRetries >= 10);
        if (!body) {
          this.unknownRetries++;
          return this.scheduleRemember();
        }
        this.unknownRetries = 0;
        await this.o.api.putWallState(w, body);
        this.savedState = stateKey(s);
      }
      if (this.o.canCarousel && s.carousel && carouselKey(s) !== this.savedCarousel) {
        await this.o.api.putCarousel(w, s.carousel);
        this.savedCarousel = carouselKey(s);
      }
    } catch (err) {
      this.error.set(err);
      this.o.log?.(`[wall ${w}] remembering the wall failed: ${(err as Error).message}`);
    }
  }
}
