// Every audit action the server writes (found in main/** by reading its source) has a worded label in both languages.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGS, LANGS } from '../../renderer/i18n/index';
import { AUDIT_ACTIONS, auditActionKey } from '../../renderer/labels';
import { scanAuditActions } from './audit-actions';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('audit action labels', () => {
  const scan = scanAuditActions(ROOT);

  it('finds the actions written in every way the server writes them', () => {
    // literal, ternary, a module's own audit helper, a template literal, a `const action = …` choice
    for (const a of [
      'auth.login',
      'gps.camera.unplace',
      'ptz.release',
      'onvif.device.add',
      'export.done',
      'alarm.note',
      'alarm.rule.disable',
      'unit.publish_rejected',
      'live.view',
    ])
      expect(scan.actions.has(a), `${a} not found by the scan`).toBe(true);
    expect(scan.actions.size).toBeGreaterThan(60);
    expect(scan.unknownTemplates, 'an action built from a template: list its values in test/i18n/audit-actions.ts TEMPLATES').toEqual([]);
  });

  it('labels each action in each language (not the code itself)', () => {
    const missing: string[] = [];
    for (const [action, file] of scan.actions) {
      const key = auditActionKey(action);
      if (!key) {
        missing.push(`${action} (written in ${file}) has no entry in AUDIT_ACTIONS`);
        continue;
      }
      for (const lang of LANGS) {
        const text = (CATALOGS[lang] as Record<string, string>)[key];
        if (!text || !text.trim() || text === action) missing.push(`${action}: no ${lang} label`);
        else if (lang === 'zh-CN' && !/[\u4e00-\u9fff]/.test(text)) missing.push(`${action}: the zh-CN label "${text}" is not Chinese`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('offers in the action filter only actions the server writes (and all of them)', () => {
    const offered = Object.keys(AUDIT_ACTIONS).filter((a) => a !== 'deny'); // 'deny': labelled in renderer/labels.ts but written nowhere in main/ today
    expect(offered.filter((a) => !scan.actions.has(a))).toEqual([]);
  });
});
