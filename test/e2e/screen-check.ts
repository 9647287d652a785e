// Test support: one check of what the console shows — boxes past their container, clipped text, English left in the Chinese console.
import type { Page } from 'playwright-core';

/**
 * Latin words that may appear in the Chinese console, each for a stated reason. Anything else in Latin letters
 * inside zh-CN text is untranslated, unless it is data the test named (camera names, users, references…).
 */
export const LATIN_ALLOWED: ReadonlyArray<{ word: RegExp; why: string }> = [
  { word: /^Argus$/, why: 'the product name' },
  { word: /^English$/, why: 'the language switch names the other language in that language' },
  { word: /^(MP4|JPEG|JPG|ZIP|CSV|JSON|MBTiles|PNG)$/, why: 'file formats, written the same in Chinese software' },
  {
    word: /^(PTZ|RTSP|RTMP|ONVIF|HLS|FLV|HTTP|HTTPS|URL|URI|IP|TCP|UDP|tcp|udp|GPS|SOS|ID|UTC|SHA|SHA-256|H|HEVC|AVC)$/,
    why: 'protocol and standard names, kept in Latin in Chinese VMS consoles',
  },
  { word: /^(fps|km|kbit|Mbit|Gbit|bit|MB|GB|KB|TB|ms|h)$/, why: 'units of measure' },
  { word: /^(OpenStreetMap|Leaflet|OSM|Natural|Earth|amCharts|GeoNames)$/, why: 'proper names of the map data sources credited in the attribution' },
  { word: /^(Ctrl|Alt|Shift|Esc|Enter|Tab|Space|F[1-9]|F1[0-2])$/, why: 'names printed on the keys of the keyboard' },
  { word: /^mapTileUrl$/, why: 'the name of a setting in argus.json, typed as is' },
];

export interface ScreenCheckOptions {
  /** CSS selector of the part to check (default: the whole page). */
  root?: string;
  lang: 'en' | 'zh-CN';
  /** Data shown as it was entered (camera names, user names, callsigns, references, addresses): not checked for language. */
  data?: readonly string[];
  /** Extra selectors whose subtree is not checked for overflow (e.g. a map's tile pane, which is larger than its view by design). */
  skipOverflow?: readonly string[];
}

interface RawFinding {
  kind: 'overflow' | 'clipped' | 'untranslated';
  where: string;
  detail: string;
}

/**
 * Returns one line per fault in the visible part of `root`: an element whose box extends past its container's (or
 * a scrolled container's content wider than it), text cut off by overflow hidden/clip or an ellipsis with no title
 * giving it in full, and (zh-CN) visible text, placeholders, tooltips and labels with Latin words that are not data
 * and not in LATIN_ALLOWED.
 */
export async function checkScreen(page: Page, opts: ScreenCheckOptions): Promise<string[]> {
  const allowed = LATIN_ALLOWED.map((a) => a.word.source);
  const found = await page.evaluate(
    ({ rootSel, lang, data, allowed, skipOverflow }) => {
      const out: RawFinding[] = [];
      const root = rootSel ? document.querySelector(rootSel) : document.body;
      if (!root) return [{ kind: 'overflow', where: rootSel ?? 'body', detail: 'root not found' } as RawFinding];
      const allowedRe = allowed.map((s) => new RegExp(s));
      const name = (el: Element): string => {
        const cls = [...el.classList].slice(0, 3).join('.');
        const id = el.id ? `#${el.id}` : '';
        const nm = el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '';
        let anc = el.parentElement;
        while (anc && anc !== root && !anc.className.toString().trim()) anc = anc.parentElement;
        const up = anc && anc !== root ? anc.className.toString().trim().split(/\s+/)[0] : '';
        return `${up ? `.${up} … ` : ''}${el.tagName.toLowerCase()}${id}${cls ? `.${cls}` : ''}${nm}`;
      };
      const visible = (el: Element): boolean => {
        if (!(el instanceof HTMLElement || el instanceof SVGElement)) return false;
        if (el.closest('[hidden], [aria-hidden=true]')) return false;
        const cs = getComputedStyle(el);
        if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      };
      /** The nearest ancestor with a box of its own (display: contents has none). */
      const boxParent = (el: Element): HTMLElement | null => {
        let p = el.parentElement;
        while (p && getComputedStyle(p).display === 'contents') p = p.parentElement;
        return p;
      };
      const titled = (el: Element): boolean => !!el.closest('[title]')?.getAttribute('title')?.trim() || !!el.getAttribute('aria-label');
      const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);

      // Overflow and clipping.
      const all = [root, ...root.querySelectorAll('*')].filter((e): e is HTMLElement => e instanceof HTMLElement);
      for (const el of all) {
        if (skipOverflow.some((s) => el.closest(s))) continue;
        if (!visible(el)) continue;
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 || r.left < -1)
          if (cs.position !== 'fixed' || r.width < window.innerWidth)
            out.push({
              kind: 'overflow',
              where: name(el),
              detail: `past the window sideways (${Math.round(r.left)}…${Math.round(r.right)} of ${window.innerWidth})`,
            });
        const parent: HTMLElement | null = el === root ? null : boxParent(el);
        // An absolutely positioned box (a menu, a popover) may reach past the box it is anchored to, but not past the nearest
        // ancestor that clips; boxes in the flow must fit their parent.
        let container: HTMLElement | null = parent;
        if (cs.position === 'absolute') {
          container = parent;
          while (container && container !== root && getComputedStyle(container).overflowX === 'visible') container = boxParent(container);
        }
        if (container && cs.position !== 'fixed') {
          const pr = container.getBoundingClientRect();
          const pcs = getComputedStyle(container);
          const scrolls = pcs.overflowX === 'auto' || pcs.overflowX === 'scroll';
          // A scrolling container reports its own sideways scroll below; a box in it is measured by that.
          if (!scrolls && (r.right > pr.right + 1 || r.left < pr.left - 1))
            out.push({
              kind: 'overflow',
              where: name(el),
              detail: `wider than its container: ${Math.round(r.left)}…${Math.round(r.right)} in ${Math.round(pr.left)}…${Math.round(pr.right)} (${name(container)}) "${text(el)}"`,
            });
        }
        const clipsX = ['hidden', 'clip'].includes(cs.overflowX);
        const clipsY = ['hidden', 'clip'].includes(cs.overflowY);
        const scrollsX = ['auto', 'scroll'].includes(cs.overflowX);
        const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
        if ((clipsX || scrollsX) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
          if (scrollsX) out.push({ kind: 'overflow', where: name(el), detail: `scrolls sideways: content ${el.scrollWidth} px in ${el.clientWidth} px` });
          else if (!titled(el) || cs.textOverflow !== 'ellipsis')
            out.push({
              kind: 'clipped',
              where: name(el),
              detail: `${cs.textOverflow === 'ellipsis' ? 'ellipsis without a title' : 'cut off sideways'}: "${text(el)}" (${el.scrollWidth} px in ${el.clientWidth} px)`,
            });
        }
        if (clipsY && hasText && el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0)
          out.push({ kind: 'clipped', where: name(el), detail: `cut off at the bottom: "${text(el)}" (${el.scrollHeight} px in ${el.clientHeight} px)` });
      }

      // Form controls draw their text themselves (no scrollWidth): measure a select's chosen option and a field's placeholder.
      const ctx = document.createElement('canvas').getContext('2d')!;
      const textWidth = (s: string, cs: CSSStyleDeclaration) => {
        ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        return ctx.measureText(s).width;
      };
      for (const el of root.querySelectorAll<HTMLSelectElement | HTMLInputElement | HTMLTextAreaElement>('select, input, textarea')) {
        if (!visible(el) || skipOverflow.some((s) => el.closest(s))) continue;
        const cs = getComputedStyle(el);
        const inner = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        if (el instanceof HTMLSelectElement) {
          const label = el.selectedOptions[0]?.text.trim() ?? '';
          // The drop-down arrow takes about 16 px of the box's inner width.
          if (label && textWidth(label, cs) > inner - 16 + 1)
            out.push({
              kind: 'clipped',
              where: name(el),
              detail: `select shows its choice cut off: "${label}" (${Math.round(textWidth(label, cs))} px in ${Math.round(inner - 16)} px)`,
            });
        } else if (!el.value && el.placeholder && ['text', 'search', 'email', 'url', 'password', 'number', 'tel', 'textarea'].includes(el.type || 'textarea')) {
          const w = textWidth(el.placeholder, getComputedStyle(el, '::placeholder'));
          if (w > inner + 1)
            out.push({ kind: 'clipped', where: name(el), detail: `placeholder cut off: "${el.placeholder}" (${Math.round(w)} px in ${Math.round(inner)} px)` });
        }
      }

      // English left in the Chinese console.
      if (lang === 'zh-CN') {
        const strip = (s: string) => {
          let t = s;
          for (const d of [...data].sort((a, b) => b.length - a.length)) if (d) t = t.split(d).join(' ');
          // Addresses, URLs, e-mail-like ids, file names, hex codes and numbers with units are data.
          // IANA time zones (Asia/Shanghai), host names (cam.example), environment variables (ARGUS_ADMIN_PASSWORD) and hashes too.
          t = t.replace(/\bARGUS_[A-Z0-9_]+\b/g, ' ').replace(/\b[0-9a-f]{16,}\b/g, ' ');
          t = t
            .replace(/\b[A-Z][A-Za-z]+\/[A-Za-z_]+(\/[A-Za-z_]+)?\b/g, ' ')
            .replace(/\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(example|local|lan|com|cn|net|org)\b/gi, ' ');
          t = t
            .replace(/\b[a-z]+:\/\/\S*/gi, ' ')
            .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, ' ')
            .replace(/\S+\.(mp4|jpg|jpeg|zip|csv|json|mbtiles|ts)\b/gi, ' ');
          return t;
        };
        const check = (s: string, where: string) => {
          const words = strip(s).match(/[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]/g) ?? [];
          const bad = words.filter((w) => !allowedRe.some((re) => re.test(w)));
          if (bad.length)
            out.push({ kind: 'untranslated', where, detail: `"${s.replace(/\s+/g, ' ').trim().slice(0, 100)}" (${[...new Set(bad)].join(', ')})` });
        };
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const p = n.parentElement;
          // Text in code, kbd and samp is a command or identifier typed as is (the agent's command line), not language.
          if (!p || !(n.textContent ?? '').trim() || p.closest('script, style, option:not(:checked), code, kbd, samp')) continue;
          if (!visible(p)) continue;
          check(n.textContent!, name(p));
        }
        for (const el of root.querySelectorAll('[placeholder], [title], [aria-label]')) {
          if (!visible(el)) continue;
          for (const attr of ['placeholder', 'title', 'aria-label']) {
            const v = el.getAttribute(attr);
            if (v?.trim()) check(v, `${name(el)}@${attr}`);
          }
        }
        for (const sel of root.querySelectorAll('select'))
          if (visible(sel) && sel.selectedOptions[0]) check(sel.selectedOptions[0].text, `${name(sel)} (selected option)`);
      }
      return out;
    },
    { rootSel: opts.root ?? null, lang: opts.lang, data: opts.data ?? [], allowed, skipOverflow: opts.skipOverflow ?? [] },
  );
  // One line per fault, each once.
  return [...new Set(found.map((f) => `${f.kind}: ${f.where} — ${f.detail}`))];
}
