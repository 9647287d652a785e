// Alarm history as CSV in the user's language and time zone: worded headers, types, priorities and states; local times with the offset.
import type { Alarm } from '../../common/alarms';
import { csvFileName, csvText } from '../csv';
import { formatDateTime } from '../format';
import type { I18n } from '../i18n/index';
import { statusReason } from '../i18n/server-messages';
import { roleKey } from '../labels';
import { causeKey, sevKey, stateKey, typeKey } from './labels';

const COLUMNS = [
  'id',
  'type',
  'severity',
  'state',
  'source',
  'sourceId',
  'firstTime',
  'lastTime',
  'count',
  'handler',
  'escalatedTo',
  'cause',
  'test',
  'lat',
  'lon',
  'message',
] as const;

export function alarmsCsv(i18n: I18n, alarms: readonly Alarm[]): string {
  const { t } = i18n;
  const header = COLUMNS.map((c) => t(`alarmcsv.${c}`));
  const rows = alarms.map((a) => {
    const cell: Record<(typeof COLUMNS)[number], string | number | null> = {
      id: a.id,
      type: t(typeKey(a.type)),
      severity: t(sevKey(a.severity)),
      state: t(stateKey(a.state)),
      source: a.sourceName,
      sourceId: a.sourceId,
      firstTime: formatDateTime(a.firstMs),
      lastTime: formatDateTime(a.lastMs),
      count: a.count,
      handler: a.handler,
      escalatedTo: a.escalatedToRole ? t(roleKey(a.escalatedToRole)) : null,
      cause: a.cause ? t(causeKey(a.cause)) : null,
      test: a.test ? t('common.yes') : t('common.no'),
      lat: a.lat,
      lon: a.lon,
      message: statusReason(i18n.lang, a.reason, a.message),
    };
    return COLUMNS.map((c) => cell[c]);
  });
  return csvText([header, ...rows]);
}

/** "报警记录_2026-12-06.csv" (the local date of `nowMs`). */
export function alarmsCsvName(i18n: I18n, nowMs: number): string {
  return csvFileName(i18n.t('alarmcsv.file'), nowMs);
}
