// Benchmark helper: prints aligned plain-text tables (numbers right-aligned).

export type Cell = string | number;

/** Renders rows under a header; columns whose cells all look numeric are right-aligned. */
export function renderTable(header: string[], rows: Cell[][]): string {
  const cells = rows.map((r) => r.map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => cells.length > 0 && cells.every((r) => /^[-+]?[\d.,]+( ?[%a-zA-Z/]*)?$|^nan$|^-$/.test(r[i] ?? '')));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** "key: value" lines with the keys padded to one width. */
export function renderPairs(pairs: Array<[string, Cell]>): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${(k + ':').padEnd(w + 1)} ${v}`).join('\n');
}
