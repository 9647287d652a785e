// HTTP client of the alarm API (common/alarms.ts contracts), on the console's bearer token; errors as the console's ApiError.
import { API_PREFIX } from '../../common/api';
import type {
  Alarm,
  AlarmFeedPage,
  AlarmList,
  AlarmQuery,
  AlarmRule,
  AlarmRuleBody,
  AlarmRulePatch,
  AlarmStepBody,
  ManualAlarmBody,
} from '../../common/alarms';
import { ErrorKind } from '../../common/errors';
import { ApiError } from '../api';
import { currentToken, endSession } from '../session';

type Query = Record<string, string | number | undefined | null>;

function queryString(q: Query | undefined): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(q ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, opts: { body?: unknown; query?: Query; raw?: boolean } = {}): Promise<T> {
  const token = currentToken();
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${API_PREFIX}${path}${queryString(opts.query)}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError('network', (err as Error).message || 'network error', 0);
  }
  if (!res.ok) {
    let e: { kind?: string; message?: string; fields?: Array<{ path: string; message: string }> } | undefined;
    try {
      e = ((await res.json()) as { error?: typeof e }).error;
    } catch {
      e = undefined;
    }
    if (res.status === 401 && token && token === currentToken()) endSession('sessionEnded');
    const kinds = Object.values(ErrorKind) as string[];
    const kind = (e?.kind && kinds.includes(e.kind) ? e.kind : res.status === 409 ? ErrorKind.Conflict : res.status === 404 ? ErrorKind.NotFound : res.status === 403 ? ErrorKind.Forbidden : ErrorKind.BadRequest) as ErrorKind;
    throw new ApiError(kind, e?.message ?? `HTTP ${res.status}`, res.status, Array.isArray(e?.fields) ? e.fields : []);
  }
  if (opts.raw) return (await res.blob()) as T;
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const alarmApi = {
  list: (q: AlarmQuery) => request<AlarmList>('GET', '/alarms', { query: { ...q } }),
  get: (id: number) => request<Alarm>('GET', `/alarms/${id}`),
  feed: (since: number, limit = 1000) => request<AlarmFeedPage>('GET', '/alarms/feed', { query: { since, limit } }),
  raise: (body: ManualAlarmBody) => request<Alarm>('POST', '/alarms', { body }),
  step: (id: number, body: AlarmStepBody) => request<Alarm>('POST', `/alarms/${id}/steps`, { body }),
  exportCsv: (q: AlarmQuery) => request<Blob>('GET', '/alarms/export.csv', { query: { ...q }, raw: true }),
  rules: () => request<AlarmRule[]>('GET', '/alarm-rules'),
  createRule: (body: AlarmRuleBody) => request<AlarmRule>('POST', '/alarm-rules', { body }),
  updateRule: (id: number, body: AlarmRulePatch) => request<AlarmRule>('PATCH', `/alarm-rules/${id}`, { body }),
  deleteRule: (id: number) => request<void>('DELETE', `/alarm-rules/${id}`),
  testRule: (id: number) => request<Alarm>('POST', `/alarm-rules/${id}/test`),
};

export type AlarmApi = typeof alarmApi;
