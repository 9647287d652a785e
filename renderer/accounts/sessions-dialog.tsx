// The session list (user menu: your own; Admin → Users: a user's): when and where each signed in, ending one.
import { useEffect, useState } from 'preact/hooks';
import * as E from '../../common/endpoints';
import type { SessionView } from '../../common/sessions';
import { ErrorBanner } from '../components/error-banner';
import { Modal } from '../components/modal';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';

/** Without `user`: the signed-in user's own sessions; with it, that user's (administrators). */
export function SessionsDialog({ user, onClose }: { user?: { id: number; username: string }; onClose: () => void }) {
  const { t } = useI18n();
  const { api, toasts } = useServices();
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = async () => {
    try {
      setSessions(user ? await api.call(E.getUsersByidSessions, { params: { id: user.id } }) : await api.call(E.getAuthSessions));
    } catch (x) {
      setError(x);
    }
  };
  useEffect(() => void load(), [user?.id]);

  const end = async (s: SessionView) => {
    setError(null);
    try {
      if (user) await api.call(E.deleteUsersByidSessionsBysessionId, { params: { id: user.id, sessionId: s.id } });
      else await api.call(E.deleteAuthSessionsBysessionId, { params: { sessionId: s.id } });
      toasts.show((tr) => tr('sessions.ended'));
      await load();
    } catch (x) {
      setError(x);
    }
  };

  return (
    <Modal title={user ? t('sessions.title.user', { name: user.username }) : t('sessions.title.own')} onClose={onClose}>
      {error ? <ErrorBanner error={error} /> : null}
      {sessions && sessions.length === 0 ? <p class="muted">{t('sessions.none')}</p> : null}
      {sessions && sessions.length > 0 ? (
        <table class="table sessions-table">
          <thead>
            <tr>
              <th>{t('sessions.col.created')}</th>
              <th>{t('sessions.col.lastSeen')}</th>
              <th>{t('sessions.col.expires')}</th>
              <th>{t('sessions.col.address')}</th>
              <th>{t('sessions.col.client')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-session={s.id}>
                <td>{formatDateTime(s.createdMs)}</td>
                <td>{formatDateTime(s.lastSeenMs)}</td>
                <td>{formatDateTime(s.expiresMs)}</td>
                <td>{s.address}</td>
                <td title={s.userAgent}>{s.userAgent.slice(0, 48)}</td>
                <td>
                  {s.current ? <span class="badge">{t('sessions.current')}</span> : null}{' '}
                  <button type="button" class="danger" onClick={() => void end(s)}>
                    {t('sessions.end')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Modal>
  );
}
