// One-line summaries of an alarm rule for the rules list: when it fires (sources, types, severity, schedule) and what it does.
import type { AlarmRule } from '../../common/alarms';
import type { Translate } from '../i18n/index';
import { roleKey } from '../labels';
import { dayKey, sevKey, typeKey } from './labels';
import { hhmm } from './rule-draft';

export function ruleSummary(t: Translate, r: AlarmRule, names: (id: number) => string): string {
  const src = r.sourceIds.length || r.groups.length ? [...r.sourceIds.map(names), ...r.groups].join(', ') : t('alarms.rules.anySource');
  const types = r.types.length ? r.types.map((x) => t(typeKey(x))).join(', ') : t('alarms.rules.anyType');
  const when = r.schedule
    ? `${r.schedule.days.map((d) => t(dayKey(d))).join(' ')} ${hhmm(r.schedule.startMinute)}–${hhmm(r.schedule.endMinute)}`
    : t('alarms.rules.always');
  return `${src} · ${types} · ≥ ${t(sevKey(r.minSeverity))} · ${when}`;
}

export function actionSummary(t: Translate, r: AlarmRule): string {
  const a = r.actions;
  const parts: string[] = [];
  if (a.wall)
    parts.push(
      `${t('alarms.action.wall')} ${a.wall.window}/${a.wall.tile === null ? t('alarms.rule.nextFree') : t('alarms.rule.tileN', { n: a.wall.tile + 1 })}`,
    );
  if (a.ptz) parts.push(`${t('alarms.action.ptz')} ${a.ptz.presetId}`);
  if (a.bookmark) parts.push(`${t('alarms.action.bookmark')} −${a.bookmark.beforeS}s/+${a.bookmark.afterS}s`);
  if (a.snapshot) parts.push(t('alarms.action.snapshot'));
  if (a.sound) parts.push(t('alarms.action.sound'));
  if (a.desktop) parts.push(t('alarms.action.desktop'));
  if (a.notify?.roles.length) parts.push(`${t('alarms.action.notify')} ${a.notify.roles.map((x) => t(roleKey(x))).join(', ')}`);
  if (a.escalate) parts.push(`${t('alarms.action.escalate')} ${a.escalate.afterS}s → ${t(roleKey(a.escalate.role))}`);
  return parts.join(' · ');
}
