import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true }, e: undefined })).toBe('{"a":{"c":true,"d":[1,"x",null]},"b":1}');
    // RFC 8785 3.2.3: "\u20ac" (€) sorts after "\r" and before "\ud83d\ude00" (😀) by code unit, not code point.
    expect(canonicalJson({ '€': 1, '😀': 2, '\r': 3, ö: 4 })).toBe('{"\\r":3,"ö":4,"€":1,"😀":2}');
  });

  it('writes numbers as ECMAScript does and refuses what JSON cannot carry', () => {
    expect(canonicalJson([1e21, 0.1, -0, 1.5e-7, 333333333.3333333])).toBe('[1e+21,0.1,0,1.5e-7,333333333.3333333]');
    expect(() => canonicalJson(Number.NaN)).toThrow(/finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });

  it('is the same for the same value whatever order its keys were written in', () => {
    expect(canonicalJson({ x: 1, y: [{ q: 1, p: 2 }] })).toBe(canonicalJson({ y: [{ p: 2, q: 1 }], x: 1 }));
  });
});
