// The catalog side of the GB/T 28181 feature as Admin → GB/T 28181 uses it (feat/gb-catalog's GbCatalogControl, part of GbControl once wired): found by shape, absent on a feature without it.
import type { GbChannelView, GbSubscriptionView } from '../../../common/gb28181';
import type { GbControl } from '../../services/gb28181/control';
import type { GbCatalogFacts } from '../gb28181-views';

/** What the routes ask of the catalog service (a subset of GbCatalogControl, by GB device ID). */
export interface GbCatalogSide {
  refreshCatalog(gbId: string): Promise<{ phase: string }>;
  catalogState(gbId: string): { phase: string; finishedMs: number | null };
  channelViews(gbId: string): Promise<GbChannelView[]>;
  subscriptionViews(gbId: string): GbSubscriptionView[];
  startDevice(gbId: string): void;
}

export function catalogOf(gb: GbControl): GbCatalogSide | null {
  const c = gb as Partial<GbCatalogSide>;
  return typeof c.refreshCatalog === 'function' && typeof c.channelViews === 'function' ? (gb as unknown as GbCatalogSide) : null;
}

/** When the last catalog answer was applied (complete or partial) and the subscriptions; null without the catalog service. */
export function catalogFacts(gb: GbControl, gbId: string): GbCatalogFacts | null {
  const c = catalogOf(gb);
  if (!c) return null;
  const s = c.catalogState(gbId);
  return { lastCatalogMs: s.phase === 'complete' || s.phase === 'partial' ? s.finishedMs : null, subscriptions: c.subscriptionViews(gbId) };
}
