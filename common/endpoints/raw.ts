// Paths of the raw endpoints the console opens itself (RawMounts: files, images, the basemap, the alarms' export), one place for server and console.
import { API_PREFIX } from '../api';

/** The alarms' history export as CSV (API clients). */
export const ALARM_EXPORT_PATH = `${API_PREFIX}/alarms/export.csv`;
/** The same export as JSON (Alarm[]): the console words it and builds the CSV in the user's language and zone. */
export const ALARM_EXPORT_JSON_PATH = `${API_PREFIX}/alarms/export.json`;
/** The built-in offline basemap (JSON, common/basemap.ts). */
export const BASEMAP_PATH = `${API_PREFIX}/gps/basemap`;
/** Files of export packages: `<id>.zip` (the whole package) or `<id>/<path>`. */
export const EXPORT_FILES_PREFIX = `${API_PREFIX}/export-files/`;
/** Snapshot images: `<id>.jpg`. */
export const SNAPSHOT_FILES_PREFIX = `${API_PREFIX}/snapshot-files/`;
/** A recorded frame of a camera: `<cameraId>/<atMs>.jpg`. */
export const FRAME_FILES_PREFIX = `${API_PREFIX}/frame-files/`;

/** URL path of an export package as one ZIP. */
export function exportZipPath(exportId: number): string {
  return `${EXPORT_FILES_PREFIX}${exportId}.zip`;
}

/** URL path of one file of an export package (segments percent-encoded, '/' kept). */
export function exportFilePath(exportId: number, rel: string): string {
  return `${EXPORT_FILES_PREFIX}${exportId}/${rel.split('/').map(encodeURIComponent).join('/')}`;
}

/** URL path of a snapshot image. */
export function snapshotFilePath(snapshotId: number): string {
  return `${SNAPSHOT_FILES_PREFIX}${snapshotId}.jpg`;
}

/** URL path of the recorded frame of a camera nearest a time. */
export function frameFilePath(cameraId: number, atMs: number): string {
  return `${FRAME_FILES_PREFIX}${cameraId}/${Math.round(atMs)}.jpg`;
}
