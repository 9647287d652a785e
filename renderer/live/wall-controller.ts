// One video wall's live state: the reducer in a Store, the tour timer, saved layouts (per user) and the remembered last one.
import type { WallLayout } from '../../common/api';
import type { ApiClient } from '../api';
import { Store } from '../state/store';
import { tileCount } from './geometry';
import { emptyWall, layoutBody, wallReducer, type WallAction, type WallState } from './wall-state';

export interface WallControllerOptions {
  api: Pick<ApiClient, 'listLayouts' | 'saveLayout' | 'deleteLayout'>;
  /** Source ids of a device tree group, in tree order (the tour's cycle), read at every step. */
  groupSources: (group: string) => number[];
  /** localStorage key remembering the last loaded or saved layout name; null: not remembered. */
  lastNameKey: string | null;
  /** A wall window's own layout: loaded at start, every change saved under it. */
  autosaveName?: string;
  autosaveDelayMs?: number;
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

/** What saving keeps: layout, visible tiles and tour (not selection or maximize); a tour's pages are not a change. */
function persisted(s: WallState): string {
  const body = layoutBody(s, '');
  return JSON.stringify(s.tour ? { ...body, tiles: null } : body);
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
  private autosaveTimer: ReturnType<typeof setTimeout> | null = null;
  private lastSaved = '';
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

  private async initNow(): Promise<void> {
    const list = await this.refreshLayouts();
    if (!list || this.closed) return;
    const wanted = this.o.autosaveName ?? this.rememberedName();
    const found = wanted ? list.find((l) => l.name === wanted) : undefined;
    if (found) this.load(found);
    else if (this.o.autosaveName) {
      this.current.set(this.o.autosaveName);
      this.lastSaved = persisted(this.state.get());
    }
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
    this.lastSaved = persisted(this.state.get());
  }

  /** Saves the wall under `name` (replacing a layout of that name); throws the API error. */
  async save(name: string): Promise<WallLayout> {
    const saved = await this.o.api.saveLayout(layoutBody(this.state.get(), name));
    this.lastSaved = persisted(this.state.get());
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
    if (this.autosaveTimer !== null) clearTimeout(this.autosaveTimer);
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
    if (!this.o.lastNameKey || this.o.autosaveName) return;
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
    if (this.o.autosaveName && persisted(s) !== this.lastSaved) this.scheduleAutosave();
  }

  private scheduleAutosave(): void {
    if (this.autosaveTimer !== null) clearTimeout(this.autosaveTimer);
    this.autosaveTimer = setTimeout(() => {
      this.autosaveTimer = null;
      const name = this.o.autosaveName;
      if (!name || this.closed || persisted(this.state.get()) === this.lastSaved) return;
      this.save(name).catch((err) => {
        this.error.set(err);
        this.o.log?.(`[wall ${name}] autosave failed: ${(err as Error).message}`);
      });
    }, this.o.autosaveDelayMs ?? 800);
  }
}
