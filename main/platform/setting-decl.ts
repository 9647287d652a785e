// How a server setting is declared (schema, environment variable, default, description, secrecy) and the small schema helpers the declarations share.
import { s } from '../../common/schema';
import type { Schema } from '../../common/schema';

/** One setting. The Config type, argus.json/env validation, the README table and the start-up log line come from these. */
export interface SettingDecl<T> {
  /** Type and validation (common/schema.ts). */
  readonly schema: Schema<T>;
  /** Environment variable (ARGUS_ + the key in upper snake case). */
  readonly env: `ARGUS_${string}`;
  /** Value when nothing sets it; undefined when it is derived at start (see defaultText) or may stay unset. */
  readonly default: T | undefined;
  /** README wording of a default that is derived at start or needs a word of explanation. */
  readonly defaultText?: string;
  /** What it does, in English (the README's "meaning" column). */
  readonly description: string;
  /** Never printed: the start-up log line says only whether it is set. */
  readonly secret?: boolean;
  /** Only from the environment (or a flag), not accepted in argus.json. */
  readonly envOnly?: boolean;
  /** Command-line flag of `npm run server` that sets it. */
  readonly flag?: `--${string}`;
  /** Also listed in the README's ONVIF section. */
  readonly onvif?: boolean;
  /** May stay unset (its Config field is optional). */
  readonly unset?: boolean;
}

export function setting<T>(d: SettingDecl<T>): SettingDecl<T> & { unset?: false } {
  return d as SettingDecl<T> & { unset?: false };
}
export function unsetSetting<T>(d: Omit<SettingDecl<T>, 'unset'>): SettingDecl<T> & { unset: true } {
  return { ...d, unset: true };
}

export const count = (description?: string) => s.number({ min: 0, description });
export const text = () => s.string({ minLength: 1 });
export const port = () => s.int({ min: 0, max: 65535 });
