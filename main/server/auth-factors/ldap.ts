// Directory (LDAP/AD) sign-in with ldapts: search the user with an escaped filter (RFC 4515), bind as them, read groups, map to a role.
import fs from 'node:fs';
import { Client, InvalidCredentialsError } from 'ldapts';
import type { Role } from '../../../common/api';

export interface DirectorySettings {
  ldapUrl?: string;
  ldapCaFile?: string;
  ldapBindDn?: string;
  ldapBindPassword?: string;
  ldapUserBaseDn?: string;
  ldapUserFilter: string;
  ldapGroupAttribute: string;
  ldapGroupBaseDn?: string;
  ldapGroupRoles: ReadonlyArray<{ group: string; role: Role; argusGroup?: string }>;
  ldapTimeoutMs: number;
}

/** A directory user who proved their password, with their groups, the role and the Argus groups (`argusGroup` of every matching mapping) they map to. */
export type DirectoryResult =
  | { kind: 'ok'; dn: string; groups: string[]; role: Role; argusGroups: string[] }
  | { kind: 'bad_credentials' }
  | { kind: 'no_group'; dn: string; groups: string[] };

/** The directory cannot be used (down, refused, timed out, misconfigured): `reason` names why, never a password. */
export class DirectoryUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`directory unavailable: ${reason}`);
    this.name = 'DirectoryUnavailable';
  }
}

/** RFC 4515 escaping of a value inside a filter: \ * ( ) and NUL become \5c \2a \28 \29 \00. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => '\\' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** The configured filter with {username} (and {dn}) replaced by escaped values. */
export function fillFilter(template: string, values: { username: string; dn?: string }): string {
  return template.replace(/\{(username|dn)\}/g, (_, k: 'username' | 'dn') => escapeFilterValue(values[k] ?? ''));
}

/** DNs compared as directories do for these purposes: case-insensitive, spaces around separators ignored. */
export function normaliseDn(dn: string): string {
  return dn
    .split(',')
    .map((rdn) =>
      rdn
        .split('=')
        .map((p) => p.trim())
        .join('='),
    )
    .join(',')
    .toLowerCase();
}

function causeOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { code?: unknown };
  if (typeof e?.code === 'string') return `${e.code}${e.message ? ': ' + e.message : ''}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(err);
}

export class DirectorySignIn {
  private readonly ca: Buffer | undefined;

  constructor(private readonly s: DirectorySettings & { ldapUrl: string; ldapUserBaseDn: string }) {
    this.ca = s.ldapCaFile ? fs.readFileSync(s.ldapCaFile) : undefined;
  }

  /** Whether the settings name a directory (URL and user base). */
  static configured(s: DirectorySettings): s is DirectorySettings & { ldapUrl: string; ldapUserBaseDn: string } {
    return s.ldapUrl !== undefined && s.ldapUserBaseDn !== undefined;
  }

  private client(): Client {
    return new Client({
      url: this.s.ldapUrl,
      timeout: this.s.ldapTimeoutMs,
      connectTimeout: this.s.ldapTimeoutMs,
      ...(this.s.ldapUrl.startsWith('ldaps:') ? { tlsOptions: { ...(this.ca ? { ca: [this.ca] } : {}), minVersion: 'TLSv1.2' as const } } : {}),
    });
  }

  /**
   * Checks a user's password against the directory and maps their groups to a role (the first mapping that matches).
   * Throws DirectoryUnavailable when the directory cannot be asked; a wrong password or unknown user is 'bad_credentials'.
   */
  async authenticate(username: string, password: string): Promise<DirectoryResult> {
    // An empty password would be an unauthenticated bind, which many servers accept: never ask.
    if (password === '' || username === '') return { kind: 'bad_credentials' };
    const search = this.client();
    let dn: string;
    let groups: string[];
    try {
      try {
        if (this.s.ldapBindDn) await search.bind(this.s.ldapBindDn, this.s.ldapBindPassword ?? '');
      } catch (err) {
        throw new DirectoryUnavailable(err instanceof InvalidCredentialsError ? 'the search account (ldapBindDn) was refused' : causeOf(err));
      }
      const found = await this.ask(() =>
        search.search(this.s.ldapUserBaseDn, {
          scope: 'sub',
          filter: fillFilter(this.s.ldapUserFilter, { username }),
          attributes: [this.s.ldapGroupAttribute],
          sizeLimit: 2,
        }),
      );
      // Unknown, or ambiguous (the filter must name one entry): no bind is tried.
      if (found.searchEntries.length !== 1) return { kind: 'bad_credentials' };
      const entry = found.searchEntries[0]!;
      dn = entry.dn;
      groups = valuesOf(entry[this.s.ldapGroupAttribute]);
      if (!(await this.passwordOk(dn, password))) return { kind: 'bad_credentials' };
      if (this.s.ldapGroupBaseDn) {
        const filter = `(|(member=${escapeFilterValue(dn)})(uniqueMember=${escapeFilterValue(dn)})(memberUid=${escapeFilterValue(username)}))`;
        const g = await this.ask(() => search.search(this.s.ldapGroupBaseDn!, { scope: 'sub', filter, attributes: ['1.1'] }));
        groups.push(...g.searchEntries.map((e) => e.dn));
      }
    } finally {
      await search.unbind().catch(() => undefined);
    }
    groups = [...new Set(groups)];
    const mine = new Set(groups.map(normaliseDn));
    const mapping = this.s.ldapGroupRoles.find((m) => mine.has(normaliseDn(m.group)));
    if (!mapping) return { kind: 'no_group', dn, groups };
    const argusGroups = this.s.ldapGroupRoles.filter((m) => m.argusGroup && mine.has(normaliseDn(m.group))).map((m) => m.argusGroup!);
    return { kind: 'ok', dn, groups, role: mapping.role, argusGroups };
  }

  private async passwordOk(dn: string, password: string): Promise<boolean> {
    const c = this.client();
    try {
      await c.bind(dn, password);
      return true;
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return false;
      throw new DirectoryUnavailable(causeOf(err));
    } finally {
      await c.unbind().catch(() => undefined);
    }
  }

  private async ask<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new DirectoryUnavailable(causeOf(err));
    }
  }
}

function valuesOf(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? (v as unknown[]) : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}
