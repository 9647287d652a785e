// Repository interface for sign-in factors (TOTP secrets, recovery codes) and directory accounts; SQLite: storage/sqlite/factors.ts.

export interface TotpRow {
  userId: number;
  /** The encrypted base32 secret (an AES-GCM box; the repository never sees the secret). */
  secretBox: string;
  createdMs: number;
  /** Set when the first code confirmed the enrolment; null while it is pending. */
  enabledMs: number | null;
  /** Last accepted time step: codes of this step or earlier are replays. */
  lastStep: number;
}

export interface DirectoryAccountRow {
  userId: number;
  dn: string;
  groups: string[];
  syncedMs: number;
}

export interface FactorRepo {
  totp(userId: number): Promise<TotpRow | null>;
  /** Starts (or restarts) an enrolment: a new secret, not enabled, its recovery codes removed. */
  putPendingTotp(userId: number, secretBox: string, nowMs: number): Promise<TotpRow>;
  /** Enables a pending enrolment and stores its recovery code hashes; false when there is no pending row. */
  enableTotp(userId: number, step: number, recoveryHashes: readonly string[], nowMs: number): Promise<boolean>;
  /** Accepts a time step only if it is after the last accepted one (atomic): false = replay. */
  advanceStep(userId: number, step: number): Promise<boolean>;
  /** Removes the factor and the recovery codes; true when there was one. */
  deleteTotp(userId: number): Promise<boolean>;
  /** Uses an unused recovery code (atomic): false when unknown or already used. */
  useRecoveryCode(userId: number, codeHash: string, nowMs: number): Promise<boolean>;
  /** How many unused recovery codes the user has. */
  recoveryCodesLeft(userId: number): Promise<number>;
  directoryAccount(userId: number): Promise<DirectoryAccountRow | null>;
  putDirectoryAccount(row: DirectoryAccountRow): Promise<void>;
}
