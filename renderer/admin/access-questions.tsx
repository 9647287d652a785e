// Admin → Access: the two questions, "who can see this camera?" and "what can this user see?", with the grants that decide.
import { useState } from 'preact/hooks';
import type { ChannelAudienceView, UserReachView } from '../../common/access';
import * as E from '../../common/endpoints';
import { RIGHTS, type Right } from '../../common/rights';
import { ErrorBanner } from '../components/error-banner';
import { useNodeName } from '../devices/org-tree';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { rightKey, wording, type AccessData, type Job } from './access-data';

export function AccessQuestions({ data }: { data: AccessData }) {
  const { t } = useI18n();
  const { api } = useServices();
  const w = wording(t, data, useNodeName());
  const [right, setRight] = useState<Right>('live.view');
  const [channelId, setChannelId] = useState<number | undefined>(data.channels[0]?.id);
  const [userId, setUserId] = useState<number | undefined>(data.users[0]?.id);
  const [who, setWho] = useState<ChannelAudienceView | null>(null);
  const [what, setWhat] = useState<UserReachView | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function ask(fn: Job) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
  }

  const channelName = (id: number) => data.channels.find((c) => c.id === id)?.name ?? `#${id}`;
  return (
    <div class="access-questions">
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      <RightSelect name="questionRight" value={right} onChange={setRight} />
      <div class="access-who">
        <h3>{t('access.who.title')}</h3>
        <div class="form-row">
          <select
            name="whoChannel"
            aria-label={t('access.who.channel')}
            value={String(channelId ?? '')}
            onChange={(e) => setChannelId(Number(e.currentTarget.value))}
          >
            {data.channels.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            class="btn"
            disabled={channelId === undefined}
            onClick={() => void ask(async () => setWho(await api.call(E.getAccessChannelsByidAudience, { params: { id: channelId! }, query: { right } })))}
          >
            {t('access.who.ask')}
          </button>
        </div>
        {who ? (
          <table class="table access-who-table">
            <tbody>
              {who.users.map((u) => (
                <tr key={u.userId} data-user={u.username} data-allowed={String(u.allowed)}>
                  <td>{u.username}</td>
                  <td>{t(u.allowed ? 'access.who.allowed' : 'access.who.refused')}</td>
                  <td>{[...u.denies, ...u.allows].map((r) => w.reason(r)).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      <div class="access-what">
        <h3>{t('access.what.title')}</h3>
        <div class="form-row">
          <select name="whatUser" aria-label={t('access.what.user')} value={String(userId ?? '')} onChange={(e) => setUserId(Number(e.currentTarget.value))}>
            {data.users.map((u) => (
              <option key={u.id} value={String(u.id)}>
                {u.username}
              </option>
            ))}
          </select>
          <button
            type="button"
            class="btn"
            disabled={userId === undefined}
            onClick={() => void ask(async () => setWhat(await api.call(E.getAccessUsersByidReach, { params: { id: userId! }, query: { right } })))}
          >
            {t('access.who.ask')}
          </button>
        </div>
        {what ? (
          <div class="access-what-answer">
            <p class="access-what-channels">
              {what.channels.all ? t('access.what.all') : t('access.what.channels', { count: what.channels.ids.length })}
              {what.channels.all ? null : <span> {what.channels.ids.map(channelName).join(', ')}</span>}
            </p>
            <ul>
              {what.entries.map((e) => (
                <li key={e.reason.grantId}>
                  {t(rightKey(e.right))}: {w.reason(e.reason)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** "Right" and a list of every right, worded (the grant form and the two questions). */
export function RightSelect(props: { name: string; value: Right; onChange: (r: Right) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t('access.right')}
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as Right)}>
        {RIGHTS.map((r) => (
          <option key={r} value={r}>
            {t(rightKey(r))}
          </option>
        ))}
      </select>
    </label>
  );
}
