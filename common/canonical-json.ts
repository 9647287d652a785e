// Canonical JSON (RFC 8785 style): keys sorted by UTF-16 code units, no whitespace; the bytes that hashes and signatures cover.

/** A JSON value as canonicalised: no undefined, functions, NaN or Infinity. */
export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue | undefined };

/**
 * Serialises a JSON value canonically: object keys sorted by UTF-16 code units (JavaScript's default sort), members
 * whose value is undefined left out, numbers as ECMAScript writes them (RFC 8785's rule), strings as JSON.stringify
 * escapes them, no whitespace. Throws on a non-finite number or a value JSON cannot carry.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: a number must be finite');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v === undefined ? null : v)).join(',') + ']';
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} cannot be serialised`);
  }
}
