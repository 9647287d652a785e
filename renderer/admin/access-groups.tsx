// Admin → Access: user groups (add, delete) and their members.
import { useState } from 'preact/hooks';
import type { GroupView } from '../../common/access';
import * as E from '../../common/endpoints';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import type { AccessData, Job, SectionProps } from './access-data';

export function AccessGroups({ data, onSaved, onError }: SectionProps) {
  const { t } = useI18n();
  const { api } = useServices();
  const [name, setName] = useState('');
  const run = async (fn: Job) => {
    onError(null);
    try {
      await fn();
      await onSaved();
    } catch (e) {
      onError(e);
    }
  };
  return (
    <div class="access-groups">
      <h3>{t('access.groups')}</h3>
      <form
        class="form-row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api.call(E.postAccessGroups, { body: { name: name.trim() } });
            setName('');
          });
        }}
      >
        <input name="groupName" value={name} maxLength={128} placeholder={t('access.groupName')} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="btn">
          {t('access.addGroup')}
        </button>
      </form>
      {data.groups.length === 0 ? <p class="muted">{t('access.none')}</p> : null}
      {data.groups.map((g) => (
        <GroupRow key={`${g.id}:${g.memberIds.join(',')}`} group={g} data={data} run={run} />
      ))}
    </div>
  );
}

interface GroupRowProps {
  group: GroupView;
  data: AccessData;
  run(fn: Job): Promise<void>;
}

function GroupRow({ group, data, run }: GroupRowProps) {
  const { t } = useI18n();
  const { api } = useServices();
  const [members, setMembers] = useState<ReadonlySet<number>>(new Set(group.memberIds));
  const toggle = (id: number) => {
    const next = new Set(members);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setMembers(next);
  };
  return (
    <fieldset class="access-group" data-group-id={group.id}>
      <legend>{group.name}</legend>
      <div class="access-members" aria-label={t('access.members')}>
        {data.users.map((u) => (
          <label key={u.id}>
            <input type="checkbox" name={`member-${u.id}`} checked={members.has(u.id)} onChange={() => toggle(u.id)} />
            {u.username}
          </label>
        ))}
      </div>
      <button
        type="button"
        class="btn btn-small"
        onClick={() => void run(() => api.call(E.putAccessGroupsByidMembers, { params: { id: group.id }, body: { userIds: [...members] } }))}
      >
        {t('access.saveMembers')}
      </button>
      <button type="button" class="btn btn-small" onClick={() => void run(() => api.call(E.deleteAccessGroupsByid, { params: { id: group.id } }))}>
        {t('access.deleteGroup')}
      </button>
    </fieldset>
  );
}
