// SQLite storage of alarm linkage rules (alarm_rules): list, get, create, update, delete.
import type { AlarmRule, AlarmRuleActions, AlarmSchedule } from '../../common/alarms';
import type { AlarmRuleInput } from '../repos/alarms';
import type { Db } from './db';
import { bool, fromBool, jsonIn, ms } from './mapping';

interface RuleDbRow {
  id: number;
  name: string;
  enabled: number;
  match_json: string;
  schedule: string | null;
  actions: string;
  created_ms: number;
  updated_ms: number;
}

function toRule(r: RuleDbRow): AlarmRule {
  const m = JSON.parse(r.match_json) as Pick<AlarmRule, 'sourceIds' | 'groups' | 'types' | 'minSeverity'> & { nodeIds?: number[] };
  return {
    id: r.id,
    name: r.name,
    enabled: fromBool(r.enabled),
    sourceIds: m.sourceIds,
    groups: m.groups,
    nodeIds: m.nodeIds ?? [],
    types: m.types,
    minSeverity: m.minSeverity,
    schedule: r.schedule === null ? null : (JSON.parse(r.schedule) as AlarmSchedule),
    actions: JSON.parse(r.actions) as AlarmRuleActions,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

const matchJson = (r: Pick<AlarmRule, 'sourceIds' | 'groups' | 'types' | 'minSeverity'> & { nodeIds?: number[] }): string =>
  JSON.stringify({ sourceIds: r.sourceIds, groups: r.groups, nodeIds: r.nodeIds ?? [], types: r.types, minSeverity: r.minSeverity });

export async function listRules(db: Db): Promise<AlarmRule[]> {
  return (await db.all<RuleDbRow>('SELECT * FROM alarm_rules ORDER BY id')).map(toRule);
}

export async function getRule(db: Db, id: number): Promise<AlarmRule | null> {
  const r = await db.get<RuleDbRow>('SELECT * FROM alarm_rules WHERE id = ?', [id]);
  return r ? toRule(r) : null;
}

export async function createRule(db: Db, r: AlarmRuleInput, nowMs: number): Promise<AlarmRule> {
  const row = await db.get<RuleDbRow>(
    'INSERT INTO alarm_rules (name, enabled, match_json, schedule, actions, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
    [r.name, bool(r.enabled), matchJson(r), jsonIn(r.schedule), JSON.stringify(r.actions), ms(nowMs), ms(nowMs)],
  );
  return toRule(row!);
}

export function updateRule(db: Db, id: number, patch: Partial<AlarmRuleInput>, nowMs: number): Promise<AlarmRule | null> {
  return db.transaction(async (tx) => {
    const cur = await tx.get<RuleDbRow>('SELECT * FROM alarm_rules WHERE id = ?', [id]);
    if (!cur) return null;
    const next = { ...toRule(cur), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as AlarmRule;
    const row = await tx.get<RuleDbRow>(
      'UPDATE alarm_rules SET name = ?, enabled = ?, match_json = ?, schedule = ?, actions = ?, updated_ms = ? WHERE id = ? RETURNING *',
      [next.name, bool(next.enabled), matchJson(next), jsonIn(next.schedule), JSON.stringify(next.actions), ms(nowMs), id],
    );
    return toRule(row!);
  });
}

export async function deleteRule(db: Db, id: number): Promise<boolean> {
  return (await db.run('DELETE FROM alarm_rules WHERE id = ?', [id])).changes > 0;
}
