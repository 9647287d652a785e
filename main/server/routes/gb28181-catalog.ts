// The catalog side of the GB/T 28181 feature as Admin → GB/T 28181 uses it (feat/gb-catalog's GbCatalogControl, part of GbControl once wired): found by shape, absent on a feature without it.
import type { GbCatalogControl } from '../../services/gb28181/catalog';
import type { GbControl } from '../../services/gb28181/control';
import type { GbCatalogFacts } from '../gb28181-views';

/** What the routes ask of the catalog service. */
export type GbCatalogSide = Pick<GbCatalogControl, 'refreshCatalog' | 'catalogState' | 'channelViews' | 'subscriptionViews' | 'startDevice'>;

const isCatalog = (x: unknown): x is GbCatalogSide =>
  typeof x === 'object' && x !== null && typeof (x as GbCatalogSide).refreshCatalog === 'function' && typeof (x as GbCatalogSide).channelViews === 'function';

/** The catalog service: the control itself when it includes GbCatalogControl, or its `catalog` member; null when the feature runs without it. */
export function catalogOf(gb: GbControl): GbCatalogSide | null {
  if (isCatalog(gb)) return gb;
  const inner = (gb as { catalog?: unknown }).catalog;
  return isCatalog(inner) ? inner : null;
}

/** When the last catalog answer was applied (complete or partial) and the subscriptions; null without the catalog service. */
export function catalogFacts(gb: GbControl, gbId: string): GbCatalogFacts | null {
  const c = catalogOf(gb);
  if (!c) return null;
  const s = c.catalogState(gbId);
  return { lastCatalogMs: s.phase === 'complete' || s.phase === 'partial' ? s.finishedMs : null, subscriptions: c.subscriptionViews(gbId) };
}
