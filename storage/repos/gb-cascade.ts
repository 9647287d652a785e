// Repository interface for the superior GB/T 28181 platforms Argus cascades to and the channels shared with them; SQLite implementation: storage/sqlite/gb-cascade.ts.
import type { UpperPlatformView } from '../../common/gb28181-cascade';

/** An upper platform as stored: the console's view of it without its live status and shares (`hasPassword`: whether a
 * digest password is set; the password itself only through `password()`). */
export type GbUpperRow = Omit<UpperPlatformView, 'status' | 'shared'>;

export type GbUpperInput = Pick<GbUpperRow, 'name' | 'gbId' | 'domain' | 'host' | 'port' | 'transport' | 'registerExpiresS' | 'keepaliveS' | 'enabled'> & {
  /** undefined keeps the stored one (update), null clears it. */
  password?: string | null;
};

export interface GbSharedRow {
  channelId: number;
  /** The 20-digit ID the upper platform sees. */
  gbId: string;
}

export interface GbCascadeRepo {
  list(): Promise<GbUpperRow[]>;
  get(id: number): Promise<GbUpperRow | null>;
  /** Throws StorageError 'conflict' when another platform has this GB ID. */
  create(input: GbUpperInput, nowMs: number): Promise<GbUpperRow>;
  update(id: number, input: GbUpperInput, nowMs: number): Promise<GbUpperRow | null>;
  remove(id: number): Promise<boolean>;
  /** The decrypted digest password, null when none. */
  password(id: number): Promise<string | null>;
  shared(platformId: number): Promise<GbSharedRow[]>;
  /** Replaces the shared channels of a platform; throws StorageError 'conflict' on a GB ID given twice. */
  setShared(platformId: number, rows: readonly GbSharedRow[]): Promise<void>;
}
