// Finds every audit action the server writes (main/**, tests excluded) by reading its source: the catalog test checks each has a label.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ALARM_TRANSITIONS } from '../../common/alarms';

const ACTION_CODE = /^[a-z_]+(\.[a-z_]+)+$/;

/** Dynamic actions (template literals) and what they expand to; a template not listed here fails the scan. */
const TEMPLATES: Record<string, readonly string[]> = {
  'export.${job.state}': ['export.done', 'export.failed'], // only written when the job is done or failed
  'alarm.${body.action}': ALARM_TRANSITIONS.map((a) => `alarm.${a}`),
};

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Dotted string literals in a piece of source. */
const literals = (src: string) => [...src.matchAll(/'([^'\n]+)'/g)].map((m) => m[1]!).filter((s) => ACTION_CODE.test(s));

export interface ScanResult {
  /** action → first file (relative to the repo) that writes it */
  actions: Map<string, string>;
  /** template literals used as actions that TEMPLATES does not expand */
  unknownTemplates: string[];
}

export function scanAuditActions(repoRoot: string): ScanResult {
  const actions = new Map<string, string>();
  const unknownTemplates: string[] = [];
  const add = (a: string, file: string) => {
    if (!actions.has(a)) actions.set(a, file);
  };
  for (const file of walk(join(repoRoot, 'main'), [])) {
    const src = readFileSync(file, 'utf8');
    const rel = relative(repoRoot, file);
    // Only files that write the audit trail (main/electron's window-open 'deny' is no audit entry).
    if (!/\baudit\b/i.test(src) && !/AuditRecord/.test(src)) continue;
    // `action: 'x.y'`, `action: cond ? 'x.y' : 'x.z'` (up to the end of the property)
    for (const m of src.matchAll(/\baction:\s*([^,\n}]+)/g)) for (const a of literals(m[1]!)) add(a, rel);
    // `const action = cond ? 'a.b' : 'a.c'` (then `action,` in the record)
    for (const m of src.matchAll(/\b(?:const|let)\s+action\s*=\s*([^;]+);/g)) for (const a of literals(m[1]!)) add(a, rel);
    // a module's own audit helper: `this.audit(who, 'a.b', ...)`, `this.audit({ kind: 'system', ... }, 'a.b', ...)`, `this.auditOnce(remote, 'a.b', ...)`
    for (const m of src.matchAll(/\bthis\.audit\w*\(/g)) {
      const first = literals(src.slice(m.index + m[0].length, m.index + m[0].length + 200))[0];
      if (first) add(first, rel);
    }
    // template literals: `action: \`x.${y}\``
    for (const m of src.matchAll(/\baction:\s*`([^`]*)`/g)) {
      const expanded = TEMPLATES[m[1]!];
      if (expanded) for (const a of expanded) add(a, rel);
      else unknownTemplates.push(`${rel}: ${m[1]}`);
    }
  }
  return { actions, unknownTemplates };
}
