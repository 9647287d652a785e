// Messages added while fitting every screen at 1600×900 in both languages (issue 12); spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'screens.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const screensEn = {
  'screens.map.zoomIn': 'Zoom in',
  'screens.map.zoomOut': 'Zoom out',
  /** The argument the operator replaces in the agent's command line (the command itself is code, shown as is). */
  'screens.unitKey.keyArg': 'stream key',
} as const;

export const screensZh = {
  'screens.map.zoomIn': '放大',
  'screens.map.zoomOut': '缩小',
  'screens.unitKey.keyArg': '推流密钥',
} as const satisfies { readonly [K in keyof typeof screensEn]: string };
