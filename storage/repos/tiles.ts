// Map tile archives (MBTiles) as the GPS feature reads them: the opener is chosen by the composition root.

export interface MbtilesInfo {
  format: string;
  bounds: [number, number, number, number] | null;
  center: [number, number] | null;
  minZoom: number;
  maxZoom: number;
}

/** An open, read-only tile archive. */
export interface TileArchive {
  info(): Promise<MbtilesInfo>;
  /** The tile's bytes by XYZ address, or null when the archive has none there. */
  tile(z: number, x: number, y: number): Promise<Buffer | null>;
  close(): Promise<void>;
}

/** Opens the archive at a path (rejects when it is missing or not a tile archive). */
export type TileArchiveOpener = (file: string) => Promise<TileArchive>;
