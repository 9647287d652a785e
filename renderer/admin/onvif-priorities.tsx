// Admin → Users: PTZ priority per user (a higher priority takes PTZ control from a lower one; empty = role default).
import { useEffect, useState } from 'preact/hooks';
import type { UserPriority } from '../../common/onvif';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/index';
import { roleKey } from '../labels';
import { onvifApi } from '../live/ptz-api';

export function PtzPriorities() {
  const { t } = useI18n();
  const [rows, setRows] = useState<UserPriority[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState<Record<number, string>>({});
  useEffect(() => {
    onvifApi.priorities().then(setRows, setError);
  }, []);
  const save = async (u: UserPriority) => {
    const raw = (draft[u.userId] ?? '').trim();
    try {
      const next = await onvifApi.setPriority(u.userId, raw === '' ? null : Number(raw));
      setRows((list) => (list ?? []).map((r) => (r.userId === u.userId ? next : r)));
      setDraft((d) => {
        const { [u.userId]: _, ...rest } = d;
        return rest;
      });
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="panel ptz-priorities">
      <header class="panel-header">
        <h3>{t('onvif.prio.title')}</h3>
        <span class="muted">{t('onvif.prio.hint')}</span>
      </header>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {rows ? (
        <table class="data-table">
          <thead>
            <tr>
              <th>{t('onvif.prio.user')}</th>
              <th>{t('onvif.prio.role')}</th>
              <th class="num">{t('onvif.prio.effective')}</th>
              <th>{t('onvif.prio.custom')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.userId} data-user-id={u.userId}>
                <td>{u.username}</td>
                <td>{t(roleKey(u.role))}</td>
                <td class="num">{u.effective}</td>
                <td>
                  <input
                    type="number"
                    min="0"
                    max="100"
                    aria-label={t('onvif.prio.custom')}
                    placeholder={t('onvif.prio.default')}
                    value={draft[u.userId] ?? (u.priority === null ? '' : String(u.priority))}
                    onInput={(e) => setDraft({ ...draft, [u.userId]: (e.target as HTMLInputElement).value })}
                  />{' '}
                  <button type="button" class="small" disabled={draft[u.userId] === undefined} onClick={() => save(u)}>
                    {t('common.save')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
