// Messages of the alarm center and linkage rules (issue 7) in both languages; spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'alarms.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const alarmsEn = {} as const;

export const alarmsZh = {} as const satisfies { readonly [K in keyof typeof alarmsEn]: string };
