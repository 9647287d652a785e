// Messages of the PTZ and ONVIF (issue 4) in both languages; spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'onvif.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const onvifEn = {} as const;

export const onvifZh = {} as const satisfies { readonly [K in keyof typeof onvifEn]: string };
