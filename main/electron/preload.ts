// Preload (sandboxed): exposes only `window.argusShell` (list displays, open a wall window) to the console.
import { contextBridge, ipcRenderer } from 'electron';
import { WALL_CHANNELS, type ArgusShell } from './bridge';

const shell: ArgusShell = {
  listDisplays: () => ipcRenderer.invoke(WALL_CHANNELS.listDisplays),
  openWall: (displayId: number) => ipcRenderer.invoke(WALL_CHANNELS.openWall, displayId),
};
contextBridge.exposeInMainWorld('argusShell', shell);
