// Request bodies from a route's JSON schema for validation and fuzz tests: a plausible body, and one value set at a path.
import type { JsonSchema } from '../../common/schema';

/** A body with every field filled with a plausible value (values need not pass every check). */
export function sample(json: JsonSchema): unknown {
  switch (json.type) {
    case 'object':
      return Object.fromEntries(Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([k, v]) => [k, sample(v)]));
    case 'array':
      return Array.from({ length: Math.max(1, (json.minItems as number | undefined) ?? 0) }, () => sample(json.items as JsonSchema));
    case 'string':
      return json.enum ? (json.enum as string[])[0] : 'x'.repeat(Math.max(1, (json.minLength as number | undefined) ?? 1));
    case 'integer':
    case 'number':
      return (json.minimum as number | undefined) ?? 1;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

/** Sets the value at a path (array items by index), creating the objects and lists on the way; an empty path replaces the body. */
export function setAt(body: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const root = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  let cur: Record<string, unknown> = root;
  path.forEach((k, i) => {
    if (i === path.length - 1) cur[k] = value;
    else {
      if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== 'object') cur[k] = /^\d+$/.test(path[i + 1]!) ? [] : {};
      cur = cur[k] as Record<string, unknown>;
    }
  });
  return root;
}
