// Row mapping helpers shared by the SQLite repositories: booleans as 0/1, JSON columns, dynamic UPDATE ... SET lists.
import type { Params, SqlValue } from './db';

export const bool = (v: boolean): number => (v ? 1 : 0);
export const fromBool = (v: number): boolean => v === 1;

/** JSON column in: undefined and null are stored as SQL NULL. */
export function jsonIn(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return JSON.stringify(v);
}

/** JSON column out: SQL NULL reads back as null. */
export function jsonOut(v: string | null): unknown {
  return v === null ? null : JSON.parse(v);
}

/** Rounds a millisecond value to an integer (columns are INTEGER ms; fractional ms from probes are rounded). */
export const ms = (v: number): number => Math.round(v);
export const msOrNull = (v: number | null): number | null => (v === null ? null : Math.round(v));

/** How one patchable field maps to its column. */
export type ColumnMap<T> = { [K in keyof T]-?: { column: string; toSql: (v: Exclude<T[K], undefined>) => SqlValue } };

/**
 * Builds "col1 = ?, col2 = ?" and the parameters from the fields of `patch` that are not undefined, using `map` as
 * the whitelist (fields absent from `map` are ignored, never interpolated).
 */
export function setClause<T extends object>(patch: Partial<T>, map: Partial<ColumnMap<T>>): { sql: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const key of Object.keys(map) as Array<keyof T>) {
    const value = patch[key];
    if (value === undefined) continue;
    const spec = map[key]!;
    parts.push(`${spec.column} = ?`);
    params.push(spec.toSql(value as Exclude<T[keyof T], undefined>));
  }
  return { sql: parts.join(', '), params };
}

/** Parameter for "id IN (SELECT value FROM json_each(?))": one bound JSON array instead of a variable-length IN list. */
export function idList(ids: readonly number[]): Params {
  return [JSON.stringify(ids)];
}

/** Identity converter for text/number columns. */
export const same = <V extends SqlValue>(v: V): SqlValue => v;
