// Admin → GB/T 28181: add a device before it registers (its 20-digit ID, a name, a node, its own password or the site password).
import { useState } from 'preact/hooks';
import * as E from '../../common/endpoints';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { flatNodes, rootNode } from '../devices/org-state';
import { useNodeName } from '../devices/org-tree';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';
import type { Reload } from './gb28181-device';

export function GbAddDevice({ onAdded }: { onAdded: Reload }) {
  const { t } = useI18n();
  const { api, org, toasts } = useServices();
  const state = useStore(org);
  const nameOf = useNodeName();
  const [gbId, setGbId] = useState('');
  const [name, setName] = useState('');
  const [nodeId, setNodeId] = useState(String(rootNode(state)?.id ?? 1));
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldError = (p: string) => (error instanceof ApiError ? error.fieldMessage(p) : undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const d = await api.call(E.postGb28181Devices, { body: { gbId: gbId.trim(), name: name.trim(), nodeId: Number(nodeId), password: password || null } });
      setGbId('');
      setName('');
      setPassword('');
      toasts.show((tr) => tr('gb28181.add.done', { name: d.name }));
      await Promise.all([onAdded(), org.reload()]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="gb-add">
      <summary>{t('gb28181.add.title')}</summary>
      <form class="form gb-add-form" noValidate onSubmit={(e) => void submit(e)}>
        <p class="muted">{t('gb28181.add.hint')}</p>
        {error ? <ErrorBanner error={error} fieldsShown onDismiss={() => setError(null)} /> : null}
        <div class="form-grid">
          <Field label={t('gb28181.add.gbId')} name="gbId" error={fieldError('gbId')}>
            <input
              {...fieldProps('gbId', fieldError('gbId'))}
              value={gbId}
              maxLength={20}
              inputMode="numeric"
              onInput={(e) => setGbId(e.currentTarget.value)}
            />
          </Field>
          <Field label={t('gb28181.col.name')} name="gbAddName" error={fieldError('name')}>
            <input {...fieldProps('gbAddName', fieldError('name'))} value={name} maxLength={128} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field label={t('devices.admin.parent')} name="gbAddNode" error={fieldError('nodeId')}>
            <select {...fieldProps('gbAddNode', fieldError('nodeId'))} value={nodeId} onChange={(e) => setNodeId(e.currentTarget.value)}>
              {flatNodes(state).map(({ node, depth }) => (
                <option key={node.id} value={node.id}>
                  {'\u00a0\u00a0'.repeat(depth)}
                  {nameOf(node)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('gb28181.password.new')} name="gbAddPassword" error={fieldError('password')} hint={t('gb28181.password.hint')}>
            <input
              {...fieldProps('gbAddPassword', fieldError('password'))}
              type="password"
              autoComplete="new-password"
              value={password}
              maxLength={64}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
        </div>
        <div class="form-actions">
          <div class="grow" />
          <button type="submit" class="primary" disabled={busy || gbId.trim() === '' || name.trim() === ''}>
            {t('gb28181.add.submit')}
          </button>
        </div>
      </form>
    </details>
  );
}
