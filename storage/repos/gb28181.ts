// Repository interface for GB/T 28181 devices' registrar facts and passwords (issue 14); the SQLite implementation is storage/sqlite/gb28181.ts.

export type GbTransport = 'udp' | 'tcp';
export type GbCharset = 'GB2312' | 'GB18030' | 'GBK' | 'UTF-8';

/** A GB device: its devices row facts and its gb_devices row (the password opened, never shown by the API). */
export interface GbDeviceRow {
  deviceId: number;
  /** The 20-digit GB/T 28181 device ID (devices.code). */
  gbId: string;
  name: string;
  nodeId: number;
  approved: boolean;
  enabled: boolean;
  /** Its own digest password; null = the site password. */
  password: string | null;
  transport: GbTransport | null;
  lastHost: string | null;
  lastPort: number | null;
  registeredMs: number | null;
  expiresMs: number | null;
  keepaliveS: number;
  charset: GbCharset;
  firstSeenMs: number;
}

export interface NewGbDevice {
  gbId: string;
  name: string;
  nodeId: number;
  /** false = awaiting approval. */
  approved: boolean;
  password?: string | null;
  keepaliveS?: number;
  /** Where it was seen (an unknown device held from its REGISTER). */
  peer?: { transport: GbTransport; host: string; port: number } | null;
}

export interface GbRegistration {
  transport: GbTransport;
  host: string;
  port: number;
  registeredMs: number;
  expiresMs: number;
}

export interface GbRepo {
  /** Every GB device, ordered by device id. */
  list(): Promise<GbDeviceRow[]>;
  get(deviceId: number): Promise<GbDeviceRow | null>;
  getByGbId(gbId: string): Promise<GbDeviceRow | null>;
  /**
   * Creates the devices row (kind 'gb28181', code = gbId, no channels yet) and its gb_devices row in ONE transaction.
   * Throws StorageError 'conflict' (field 'code') when the ID is taken, 'not_found' (field 'nodeId') for a missing node.
   */
  create(input: NewGbDevice, nowMs: number): Promise<GbDeviceRow>;
  /** Stores a registration (or its end: null). False when the device is absent. */
  setRegistration(deviceId: number, r: GbRegistration | null): Promise<boolean>;
  /** Sets (sealed) or clears the device's own password. False when absent. */
  setPassword(deviceId: number, password: string | null): Promise<boolean>;
  setKeepalive(deviceId: number, keepaliveS: number): Promise<boolean>;
  /** Accepts a device awaiting approval into a node (approved = 1), optionally renamed. Null when absent. */
  approve(deviceId: number, nodeId: number, name: string | null, nowMs: number): Promise<GbDeviceRow | null>;
  /** The site password (sealed in gb_site); null when none was set here. */
  sitePassword(): Promise<string | null>;
  setSitePassword(password: string | null, nowMs: number): Promise<void>;
}
