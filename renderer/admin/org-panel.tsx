// Admin → Organisation: the node list, and for the chosen node rename, code, move, add a child, delete, move its devices.
import { useState } from 'preact/hooks';
import type { DeviceView, OrgNodeUpdate, OrgNodeView } from '../../common/devices';
import { ApiError } from '../api';
import { ErrorBanner } from '../components/error-banner';
import { Field, fieldProps } from '../components/field';
import { ConfirmDialog } from '../components/modal';
import { useNodeName } from '../devices/org-tree';
import { flatNodes, isWithin, nodeDevices, rootNode, type OrgState } from '../devices/org-state';
import { useI18n } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';

/** An edit the node editor runs (busy, error, reload after). */
interface Task {
  (): Promise<void>;
}

/** "Move to…" choices: every node with its depth shown by indent, less `exclude` and what is below it. */
function NodeOptions({ state, exclude }: { state: OrgState; exclude?: number }) {
  const nameOf = useNodeName();
  return (
    <>
      {flatNodes(state)
        .filter(({ node }) => exclude === undefined || !isWithin(state, node.id, exclude))
        .map(({ node, depth }) => (
          <option key={node.id} value={node.id}>
            {'\u00a0\u00a0'.repeat(depth)}
            {nameOf(node)}
          </option>
        ))}
    </>
  );
}

function DeviceMoves({ node, state }: { node: OrgNodeView; state: OrgState }) {
  const { t } = useI18n();
  const { devices: api, org, toasts } = useServices();
  const [error, setError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const list = nodeDevices(state, node.id);
  const move = async (d: DeviceView, nodeId: number) => {
    setBusyId(d.id);
    setError(null);
    try {
      await api.updateDevice(d.id, { nodeId });
      const to = state.nodes.get(nodeId);
      toasts.show((tr) => tr('devices.admin.deviceMoved', { name: d.name, node: to ? to.name || tr('devices.root') : String(nodeId) }));
      await org.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusyId(null);
    }
  };
  return (
    <section class="org-devices">
      <h3>{t('devices.admin.devices')}</h3>
      {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
      {list.length === 0 ? (
        <p class="muted">{t('devices.admin.noDevices')}</p>
      ) : (
        <table class="data-table org-devices-table">
          <tbody>
            {list.map((d) => (
              <tr key={d.id} data-device-id={d.id}>
                <td>{d.name}</td>
                <td class="muted">{t(`devices.kind.${d.kind}`)}</td>
                <td>
                  <select
                    name="deviceNode"
                    aria-label={t('devices.admin.moveDevice', { name: d.name })}
                    value={String(d.nodeId)}
                    disabled={busyId === d.id}
                    onChange={(e) => void move(d, Number(e.currentTarget.value))}
                  >
                    <NodeOptions state={state} />
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NodeEditor({ node, state, onDeleted }: { node: OrgNodeView; state: OrgState; onDeleted: () => void }) {
  const { t } = useI18n();
  const { devices: api, org, toasts } = useServices();
  const nameOf = useNodeName();
  const isRoot = node.parentId === null;
  const [name, setName] = useState(node.name);
  const [code, setCode] = useState(node.code ?? '');
  const [parentId, setParentId] = useState(String(node.parentId ?? ''));
  const [child, setChild] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const fieldError = (p: string) => (error instanceof ApiError ? error.fieldMessage(p) : undefined);

  const run = async (fn: Task) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await org.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    const body: OrgNodeUpdate = {};
    if (name.trim() !== node.name) body.name = name.trim();
    if ((code.trim() || null) !== node.code) body.code = code.trim() || null;
    if (!isRoot && Number(parentId) !== node.parentId) body.parentId = Number(parentId);
    void run(async () => {
      const saved = await api.updateNode(node.id, body);
      toasts.show((tr) => tr('devices.admin.saved', { name: saved.name || tr('devices.root') }));
    });
  };
  const addChild = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const created = await api.createNode({ parentId: node.id, name: child.trim() });
      setChild('');
      toasts.show((tr) => tr('devices.admin.created', { name: created.name }));
    });
  };
  const remove = async () => {
    setBusy(true);
    setDeleteError(null);
    try {
      await api.deleteNode(node.id);
      toasts.show((tr) => tr('devices.admin.deleted', { name: node.name }));
      setDeleting(false);
      onDeleted();
      await org.reload();
    } catch (err) {
      setDeleteError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="org-editor" data-node-id={node.id}>
      <h3>{nameOf(node)}</h3>
      <p class="muted">{t('devices.admin.counts', { devices: node.counts.devices, channels: node.counts.channels })}</p>
      {error ? <ErrorBanner error={error} fieldsShown onDismiss={() => setError(null)} /> : null}
      <form class="form org-node-form" noValidate onSubmit={save}>
        <div class="form-grid">
          <Field label={t('devices.admin.name')} name="name" error={fieldError('name')}>
            <input {...fieldProps('name', fieldError('name'))} value={name} maxLength={128} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field label={t('devices.admin.code')} name="code" error={fieldError('code')} hint={t('devices.admin.codeHint')}>
            <input
              {...fieldProps('code', fieldError('code'))}
              value={code}
              maxLength={20}
              inputMode="numeric"
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </Field>
          <Field label={t('devices.admin.parent')} name="parentId" error={fieldError('parentId')} hint={isRoot ? t('devices.admin.rootHint') : undefined}>
            <select {...fieldProps('parentId', fieldError('parentId'))} value={parentId} disabled={isRoot} onChange={(e) => setParentId(e.currentTarget.value)}>
              {isRoot ? <option value="">{t('common.none')}</option> : <NodeOptions state={state} exclude={node.id} />}
            </select>
          </Field>
        </div>
        <div class="form-actions">
          {!isRoot ? (
            <button type="button" class="danger org-delete" disabled={busy} onClick={() => (setDeleteError(null), setDeleting(true))}>
              {t('devices.admin.delete')}
            </button>
          ) : null}
          <div class="grow" />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
      <form class="org-add-child" noValidate onSubmit={addChild}>
        <input
          name="childName"
          aria-label={t('devices.admin.childName')}
          placeholder={t('devices.admin.childName')}
          value={child}
          maxLength={128}
          onInput={(e) => setChild(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || child.trim() === ''}>
          {t('devices.admin.addChild')}
        </button>
      </form>
      <DeviceMoves node={node} state={state} />
      {deleting ? (
        <ConfirmDialog
          message={t('devices.admin.deleteConfirm', { name: nameOf(node) })}
          confirmLabel={t('devices.admin.delete')}
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setDeleting(false)}
        >
          {deleteError ? <ErrorBanner error={deleteError} /> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

export function OrgPanel() {
  const { t } = useI18n();
  const { org } = useServices();
  const state = useStore(org);
  const nameOf = useNodeName();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const selected = (selectedId !== null ? state.nodes.get(selectedId) : undefined) ?? rootNode(state);
  return (
    <div class="admin-panel org-panel">
      <header class="panel-header">
        <h2>{t('devices.admin.title')}</h2>
        <div class="grow" />
        <button type="button" onClick={() => void org.reload()}>
          {t('common.refresh')}
        </button>
      </header>
      <p class="muted">{t('devices.admin.intro')}</p>
      {state.available === false ? (
        <p class="muted">{t('devices.admin.unavailable')}</p>
      ) : !selected ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <div class="org-layout">
          <ul class="org-node-list" aria-label={t('devices.admin.nodes')}>
            {flatNodes(state).map(({ node, depth }) => (
              <li key={node.id}>
                <button
                  type="button"
                  class="org-node-item"
                  data-node-id={node.id}
                  aria-current={node.id === selected.id ? 'true' : undefined}
                  style={{ paddingLeft: `${8 + depth * 14}px` }}
                  onClick={() => setSelectedId(node.id)}
                >
                  <span class="org-node-name">{nameOf(node)}</span>
                  {node.code ? <span class="muted org-node-code">{node.code}</span> : null}
                  <span class="count">
                    {node.counts.devicesOnline}/{node.counts.devices}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <NodeEditor
            key={`${selected.id}:${selected.name}:${selected.code ?? ''}:${selected.parentId ?? ''}`}
            node={selected}
            state={state}
            onDeleted={() => setSelectedId(selected.parentId)}
          />
        </div>
      )}
    </div>
  );
}
