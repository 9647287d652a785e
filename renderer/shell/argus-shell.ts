// The Electron shell's bridge as the console sees it (window.argusShell, absent in a plain browser) and wall-window URLs.

/** Mirrors main/electron/bridge.ts (the renderer may not import main/): what the preload exposes. */
export interface ShellDisplay {
  id: number;
  label: string;
  primary: boolean;
}

export interface ArgusShellApi {
  listDisplays(): Promise<ShellDisplay[]>;
  openWall(displayId: number): Promise<{ displayId: number; open: boolean }>;
}

/** The bridge when running inside Electron, else null. */
export function argusShell(): ArgusShellApi | null {
  const s = (globalThis as { argusShell?: Partial<ArgusShellApi> }).argusShell;
  return s && typeof s.listDisplays === 'function' && typeof s.openWall === 'function' ? (s as ArgusShellApi) : null;
}

/** The display id of a wall window (`#wall=<displayId>` in the URL), else null. */
export function wallDisplayId(hash: string): number | null {
  const m = /^#?wall=(\d{1,20})$/.exec(hash.trim());
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) ? id : null;
}

/** The saved layout name of a wall window. */
export function wallLayoutName(displayId: number): string {
  return `wall-${displayId}`;
}
