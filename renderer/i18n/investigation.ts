// Messages of the playback, search, cases and export (issue 6) in both languages; spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'investigation.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const investigationEn = {} as const;

export const investigationZh = {} as const satisfies { readonly [K in keyof typeof investigationEn]: string };
