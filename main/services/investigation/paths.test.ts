// File names from user text keep every script's letters; only what a file system or path cannot hold is replaced. Case references accept Chinese case numbers.
import { describe, expect, it } from 'vitest';
import { CASE_REFERENCE_RE } from '../../../common/investigation';
import { safeComponent } from './paths';

describe('safeComponent', () => {
  it.each([
    ['测试画面', '测试画面'],
    ['Street 01 十字路口', 'Street 01 十字路口'],
    ['沪公刑字〔2026〕123号', '沪公刑字〔2026〕123号'],
    ['CR-2026/0042', 'CR-2026_0042'],
    ['a/b\\c:d*e?f"g<h>i|j', 'a_b_c_d_e_f_g_h_i_j'],
    ['tab\there\u0000nul\u202eevil', 'tab_here_nul_evil'],
    ['name. . ', 'name'],
    ['  .hidden', '_hidden'],
    ['..', '_'],
    ['.', '_'],
    ['', '_'],
    ['CON', '_CON'],
    ['lpt1.txt', '_lpt1.txt'],
    ['Café', 'Café'],
  ])('%j → %j', (input, expected) => {
    expect(safeComponent(input)).toBe(expected);
  });

  it('cuts at code points, never inside a character', () => {
    expect(safeComponent('😀'.repeat(10), 4)).toBe('😀😀😀😀');
    expect(safeComponent('十字路口'.repeat(20), 48)).toHaveLength(48);
  });
});

describe('CASE_REFERENCE_RE', () => {
  it.each(['沪公刑字〔2026〕123号', 'CR-2026/0042', '京公（刑）立字【2025】第0017号', 'Az 12 Js 345/26', 'A+B#1'])('accepts %s', (r) => {
    expect(CASE_REFERENCE_RE.test(r)).toBe(true);
  });
  it.each(['../../etc/passwd', 'a/../../b', '/abs', 'x\\..\\y', '..', 'a/./b', ' lead', 'trail ', 'C:evil', 'nul\u0000', 'x'.repeat(65)])('refuses %j', (r) => {
    expect(CASE_REFERENCE_RE.test(r)).toBe(false);
  });
});
