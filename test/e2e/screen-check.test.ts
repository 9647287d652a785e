// Tests of the screen check itself (headless Chromium, a page built here): it finds each kind of fault and passes clean screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../harness';
import { checkScreen } from './screen-check';

describe('screen-check', () => {
  let browser: TestBrowser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 800, height: 600 } })).newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const html = (body: string) => page.setContent(`<!doctype html><html><body style="margin:0;font:14px sans-serif">${body}</body></html>`);

  it('finds a box wider than its container, a box past the window, cut-off text and an ellipsis without a title', async () => {
    await html(`
      <div class="row" style="width:200px"><div class="wide" style="width:300px">wide</div></div>
      <div class="edge" style="position:relative;left:700px;width:200px">edge</div>
      <div class="cut" style="width:60px;overflow:hidden;white-space:nowrap">a long line of text that does not fit</div>
      <div class="dots" style="width:60px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis">another long line of text</div>
      <div class="dots-titled" title="another long line of text" style="width:60px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis">another long line of text</div>
      <div class="scroller" style="width:100px;overflow-x:auto"><div style="width:400px">x</div></div>
      <select class="narrow" style="width:60px"><option>A very long choice</option></select>
      <input class="ph-cut" style="width:60px" placeholder="A very long placeholder">`);
    const found = await checkScreen(page, { lang: 'en' });
    const has = (re: RegExp) =>
      expect(
        found.some((f) => re.test(f)),
        `${re} in\n${found.join('\n')}`,
      ).toBe(true);
    has(/^overflow: .*div\.wide — wider than its container/);
    has(/^overflow: .*div\.edge — past the window sideways/);
    has(/^clipped: .*div\.cut — cut off sideways/);
    has(/^clipped: .*div\.dots — ellipsis without a title/);
    has(/^overflow: .*div\.scroller — scrolls sideways/);
    has(/^clipped: .*select\.narrow — select shows its choice cut off/);
    has(/^clipped: .*input\.ph-cut — placeholder cut off/);
    expect(found.some((f) => f.includes('dots-titled'))).toBe(false);
  });

  it('in zh-CN finds Latin words that are neither data nor allowed, in text, placeholders and tooltips', async () => {
    await html(`
      <p class="ok">导出 MP4 文件；云台 PTZ；时区 Asia/Shanghai；摄像机 Gate North；地址 rtsp://10.0.0.1/x；按 Ctrl+F 搜索；命令 <code>npm run agent -- --server x</code></p>
      <p class="bad">保存 Save</p>
      <input class="ph" placeholder="Search cameras">
      <button class="tip" title="Zoom in">+</button>
      <p hidden>Hidden English</p>`);
    const found = await checkScreen(page, { lang: 'zh-CN', data: ['Gate North'] });
    expect(found.filter((f) => f.includes('p.ok'))).toEqual([]);
    expect(found.some((f) => /^untranslated: .*p\.bad — "保存 Save" \(Save\)/.test(f))).toBe(true);
    expect(found.some((f) => /input\.ph@placeholder — "Search cameras"/.test(f))).toBe(true);
    expect(found.some((f) => /button\.tip@title — "Zoom in"/.test(f))).toBe(true);
    expect(found.some((f) => f.includes('Hidden English'))).toBe(false);
    // English is not checked for language.
    expect((await checkScreen(page, { lang: 'en' })).filter((f) => f.startsWith('untranslated'))).toEqual([]);
  });

  it('passes a screen that fits', async () => {
    await html(
      `<div style="width:300px"><div style="width:100%">fits</div><span style="position:absolute;right:0">menu</span><select style="width:200px"><option>Short</option></select><input style="width:200px" placeholder="Short"></div>`,
    );
    expect(await checkScreen(page, { lang: 'en' })).toEqual([]);
  });
});
