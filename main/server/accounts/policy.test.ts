// Tests of the password policy against the shipped list of common passwords.
import { describe, expect, it } from 'vitest';
import { checkPassword, weakPasswords } from './policy';

describe('password policy', () => {
  it('ships a list of a few thousand common passwords, including password and 12345678', () => {
    const list = weakPasswords();
    expect(list.size).toBeGreaterThan(3000);
    for (const p of ['password', '12345678', '123456', 'qwertyuiop', 'password123', '1q2w3e4r5t']) expect(list.has(p)).toBe(true);
  });

  it.each([
    ['', 'password.blank'],
    ['           ', 'password.blank'],
    ['\t \t \t \t \t ', 'password.blank'],
    ['Abc-12345', 'password.too_short'],
    ['x'.repeat(257), 'password.too_long'],
    ['aaaaaaaaaaaa', 'password.same_char'],
    ['111111111111', 'password.same_char'],
    ['alice', 'password.too_short'],
    ['alice-secret-42', 'password.contains_username'],
    ['My-ALICE-2026!', 'password.contains_username'],
    ['qwertyuiop', 'password.common'],
    ['Password123', 'password.common'],
    ['1234567890', 'password.common'],
  ])('refuses %j for alice: %s', (pw, code) => {
    expect(checkPassword(pw, 'alice')?.code).toBe(code);
  });

  it('accepts a long password that is not common and does not contain the user name', () => {
    expect(checkPassword('river-lamp-orbit-7', 'alice')).toBeNull();
    expect(checkPassword('长城-烽火台-2026-夜', 'alice')).toBeNull();
  });
});
