// Catalog test of the server's messages: every registered code has en and zh-CN texts with its params; none shown untranslated.
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { englishOf, MESSAGES, msg, templateParams, type MessageCode } from '../../common/messages';
import { ERROR_CATALOGS } from './errors';
import { LANGS, placeholdersOf } from './index';
import { serverMessage, statusReason } from './server-messages';

const codes = Object.keys(MESSAGES) as MessageCode[];
const HAN = /\p{Script=Han}/u;

describe('server message catalogs', () => {
  it('the registry is not empty and every code is dotted lower case', () => {
    expect(codes.length).toBeGreaterThan(100);
    for (const c of codes) expect(c, c).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it('every registered code has a non-empty text in every language, and no catalog has codes the registry lacks', () => {
    for (const lang of LANGS) {
      const catalog = ERROR_CATALOGS[lang] as Record<string, string>;
      for (const c of codes) {
        expect(catalog[c], `${lang} has no text for "${c}"`).toBeTypeOf('string');
        expect(catalog[c]!.trim(), `${lang} text of "${c}" is empty`).not.toBe('');
      }
      expect(
        Object.keys(catalog).filter((k) => !(k in MESSAGES)),
        `${lang} texts for unknown codes`,
      ).toEqual([]);
    }
  });

  it("each text's placeholders are exactly the code's params", () => {
    for (const lang of LANGS) {
      for (const c of codes) expect(placeholdersOf(ERROR_CATALOGS[lang][c]), `${lang} placeholders of "${c}"`).toEqual(templateParams(MESSAGES[c]));
    }
  });

  it('every zh-CN text is Chinese: it differs from the English server message and contains Chinese characters', () => {
    for (const c of codes) {
      const zh = ERROR_CATALOGS['zh-CN'][c];
      expect(zh, `zh-CN text of "${c}" is the English server message`).not.toBe(MESSAGES[c]);
      expect(HAN.test(zh), `zh-CN text of "${c}" has no Chinese: ${zh}`).toBe(true);
    }
  });

  it('serverMessage fills params (nested messages too) and falls back to the English text only for an unknown code', () => {
    expect(serverMessage('zh-CN', 'camera.not_found', { id: 3 }, 'camera 3 does not exist')).toBe('摄像机 3 不存在');
    expect(serverMessage('en', 'schema.too_long', { max: 64 }, 'x')).toBe('must be at most 64 characters');
    const nested = msg('status.sub_stream', { reason: msg('status.refused') });
    expect(statusReason('zh-CN', nested, englishOf(nested))).toBe('子码流实时预览不可用：摄像机拒绝连接（请检查地址和端口）');
    expect(englishOf(nested)).toBe('Live sub stream unavailable: Camera refused the connection (check address and port)');
    expect(serverMessage('zh-CN', 'no.such_code', {}, 'the server said so')).toBe('the server said so');
    expect(statusReason('zh-CN', null, null)).toBeNull();
  });
});

describe('console sources', () => {
  // Every module of the console, as text (Vite's glob import; the test runs no file system calls).
  const sources = import.meta.glob(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!../**/*.test.tsx', '!../state/test-fixtures.ts'], {
    query: '?raw',
    import: 'default',
    eager: true,
  }) as Record<string, string>;

  it('finds the console modules', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(Object.keys(sources)).toContain('../admin/camera-detail.tsx');
  });

  // A use of lastError other than a condition (`st.lastError ? …`) or a catalog key must go through statusReason.
  it("shows a status's lastError only through statusReason (worded from its code), never raw", () => {
    const raw: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      text.split('\n').forEach((line, i) => {
        if (/\.lastError\b(?!\s*\?[^?.]|')/.test(line) && !/statusReason\(|wordReason\(/.test(line)) raw.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(raw).toEqual([]);
  });

  it("shows an API error's or a field's English message nowhere (ApiError.text(), fieldMessage() or errorText() word them)", () => {
    const raw: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      if (file === '../api.ts' || file.startsWith('../i18n/') || file.startsWith('./')) continue; // the catalogs themselves
      text.split('\n').forEach((line, i) => {
        if (/\b(f|field|e|err|error|apiErr)\??\.message\b/.test(line) && !/log\??\.?\(|new ApiError\(|new Error\(/.test(line))
          raw.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(raw).toEqual([]);
  });
});
