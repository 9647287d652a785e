// Messages of the map, units, tracks and geofences (issue 5) in both languages; spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'gps.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const gpsEn = {} as const;

export const gpsZh = {} as const satisfies { readonly [K in keyof typeof gpsEn]: string };
