// Tests of the router's query-string conversion and route table checks.
import { describe, expect, test } from 'vitest';
import { SegmentQuery } from '../../common/api';
import { s } from '../../common/schema';
import { coerceStrings, route, Router } from './router';

describe('router', () => {
  test('query strings become numbers/booleans where the schema says so', () => {
    const q = s.object({ n: s.int(), f: s.number(), b: s.boolean(), t: s.string() });
    expect(coerceStrings(q, new URLSearchParams('n=12&f=-1.5&b=true&t=7'))).toEqual({ n: 12, f: -1.5, b: true, t: '7' });
    expect(coerceStrings(SegmentQuery, new URLSearchParams('cameraId=1e3&startMs=&endMs=0x10'))).toEqual({ cameraId: '1e3', startMs: '', endMs: '0x10' });
    expect(coerceStrings(q, new URLSearchParams('n=1&n=2'))).toEqual({ n: ['1', '2'] });
  });

  test('duplicate routes are refused', () => {
    const r = () => route({ method: 'GET', path: '/api/v1/x/:id', auth: 'any', tag: 't', summary: 's', response: { description: 'd' }, handler: () => 1 });
    const other = route({ method: 'GET', path: '/api/v1/x/:key', auth: 'any', tag: 't', summary: 's', response: { description: 'd' }, handler: () => 1 });
    expect(() => new Router([r(), other], { authenticate: async () => null, log: () => undefined })).toThrow(/duplicate route/);
  });
});
