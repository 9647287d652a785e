// The narrow contract between the Electron preload and the console: only what a browser cannot do.

export const WALL_CHANNELS = {
  listDisplays: 'argus:list-displays',
  openWall: 'argus:open-wall',
} as const;

export interface DisplayInfo {
  id: number;
  label: string;
  primary: boolean;
}

export interface WallWindowInfo {
  displayId: number;
  open: boolean;
}

/** Exposed on `window.argusShell` inside Electron; absent in a plain browser. */
export interface ArgusShell {
  listDisplays(): Promise<DisplayInfo[]>;
  openWall(displayId: number): Promise<WallWindowInfo>;
}
