// The organisation tree in the left rail: node → child nodes → devices → channels, online/total per node, filter, drag to the wall.
import { useMemo, useState } from 'preact/hooks';
import type { ChannelView, DeviceView, OrgNodeView } from '../../common/devices';
import { CameraIcon, DisplayIcon, UnitTypeIcon } from '../components/icons';
import { OnlineDot, StatusDot } from '../components/status-dot';
import { useI18n } from '../i18n/index';
import { statusKey } from '../labels';
import { useServices } from '../services';
import { CameraItem, dragProps, UnitItem } from '../shell/tree-items';
import type { CameraMap } from '../state/cameras';
import { findSource, sourceMatches } from '../state/sources';
import type { UnitMap } from '../state/units';
import { useStore } from '../state/store';
import { orgDragProps } from './drag';
import { childNodes, nodeDevices, queryMatchers, rootNode, sortedChannels, textMatches, visibleFor, type OrgState, type OrgVisible } from './org-state';

interface Props {
  /** Filter text (rail filter and the top bar's search): hits are shown with the path to them, expanded. */
  query: string;
  selected: number | null;
  onSelect: (channelId: number) => void;
  onOpen: (channelId: number) => void;
}

interface Ctx extends Props {
  state: OrgState;
  cams: CameraMap;
  units: UnitMap;
  visible: OrgVisible | null;
  collapsed: ReadonlySet<string>;
  toggle: (key: string) => void;
}

/** The name of a node as shown: the unnamed root is "All devices". */
export function useNodeName(): (n: OrgNodeView) => string {
  const { t } = useI18n();
  return (n) => n.name || t('devices.root');
}

function toggleKeys(e: KeyboardEvent, fn: () => void): void {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  fn();
}

function GenericChannelItem({ channel, ctx }: { channel: ChannelView; ctx: Ctx }) {
  const { t } = useI18n();
  const state = channel.status.recording;
  const selected = ctx.selected === channel.id;
  return (
    <li
      role="treeitem"
      aria-selected={selected}
      class={`tree-camera tree-channel${selected ? ' selected' : ''}${channel.enabled ? '' : ' disabled'}`}
      data-channel-id={channel.id}
      data-source-id={channel.id}
      data-state={state}
      title={[channel.name, t(statusKey(state)), t('tree.openHint')].join(' · ')}
      tabIndex={selected ? 0 : -1}
      {...dragProps(channel.id, channel.name)}
      onClick={() => ctx.onSelect(channel.id)}
      onDblClick={() => ctx.onOpen(channel.id)}
      onKeyDown={(e) => toggleKeys(e, () => (e.key === 'Enter' ? ctx.onOpen(channel.id) : ctx.onSelect(channel.id)))}
    >
      <StatusDot state={state} />
      <CameraIcon size={14} class="type-icon" />
      <span class="tree-camera-name">{channel.name}</span>
    </li>
  );
}

/** A channel's row: today's camera or unit row when the console knows it as one (status dots, unit links), else a plain one. */
function ChannelRow({ channel, ctx }: { channel: ChannelView; ctx: Ctx }) {
  const cam = ctx.cams.get(channel.id);
  const unit = ctx.units.get(channel.id);
  const id = channel.id;
  const item = { selected: ctx.selected === id, onSelect: () => ctx.onSelect(id), onOpen: () => ctx.onOpen(id) };
  if (cam) return <CameraItem key={id} camera={cam} {...item} />;
  if (unit) return <UnitItem key={id} unit={unit} {...item} />;
  return <GenericChannelItem key={id} channel={channel} ctx={ctx} />;
}

function DeviceRow({ device, ctx }: { device: DeviceView; ctx: Ctx }) {
  const { t } = useI18n();
  const channels = sortedChannels(device);
  const awaiting = device.status.state === 'awaiting_approval';
  // A single-channel device (a camera, a unit) is one row: its channel (a device awaiting approval keeps its own row and badge).
  if (channels.length === 1 && !awaiting) return <ChannelRow channel={channels[0]} ctx={ctx} />;
  const key = `d${device.id}`;
  const open = ctx.visible !== null || !ctx.collapsed.has(key);
  const shown = ctx.visible ? channels.filter((c) => ctx.visible?.channels.has(c.id)) : channels;
  const live = channels.filter((c) => c.status.recording === 'recording').length;
  const state = awaiting ? t('gb28181.state.awaiting_approval') : device.status.online ? t('devices.state.online') : t('devices.state.offline');
  const dataState = awaiting ? 'awaiting_approval' : device.status.online ? 'online' : 'offline';
  return (
    <li role="treeitem" aria-expanded={open} class="tree-device" data-device-id={device.id} data-kind={device.kind} data-state={dataState}>
      <div
        class="tree-device-header"
        role="button"
        tabIndex={0}
        title={[device.name, t(`devices.kind.${device.kind}`), state, t('devices.dragHint')].join(' · ')}
        {...orgDragProps({ kind: 'device', id: device.id }, device.name)}
        onClick={() => ctx.toggle(key)}
        onKeyDown={(e) => toggleKeys(e, () => ctx.toggle(key))}
      >
        <span class={`chevron${open ? ' open' : ''}`} aria-hidden="true">
          ▸
        </span>
        <OnlineDot online={device.status.online} />
        {device.mobile ? <UnitTypeIcon type={device.mobile.type} size={14} class="type-icon" /> : <DisplayIcon size={14} class="type-icon" />}
        <span class="tree-camera-name">{device.name}</span>
        {awaiting ? <span class="tree-badge tree-awaiting">{state}</span> : null}
        <span class="count">{t('devices.channelCount', { live, total: channels.length })}</span>
      </div>
      {open && shown.length ? (
        <ul role="group">
          {shown.map((c) => (
            <ChannelRow key={c.id} channel={c} ctx={ctx} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function NodeRow({ node, ctx }: { node: OrgNodeView; ctx: Ctx }) {
  const { t } = useI18n();
  const nameOf = useNodeName();
  const key = `n${node.id}`;
  const open = ctx.visible !== null || !ctx.collapsed.has(key);
  const kids = childNodes(ctx.state, node.id).filter((n) => !ctx.visible || ctx.visible.nodes.has(n.id));
  const devices = nodeDevices(ctx.state, node.id).filter((d) => !ctx.visible || ctx.visible.devices.has(d.id));
  const c = node.counts;
  const name = nameOf(node);
  const hint = t('devices.countHint', { online: c.devicesOnline, total: c.devices, recording: c.channelsRecording, channels: c.channels });
  return (
    <li role="treeitem" aria-expanded={open} class="tree-group tree-node" data-group={node.name} data-node-id={node.id}>
      <div
        class="tree-group-header tree-node-header"
        role="button"
        tabIndex={0}
        title={[name, node.code ?? '', hint, t('devices.dragHint')].filter(Boolean).join(' · ')}
        {...orgDragProps({ kind: 'node', id: node.id }, name)}
        onClick={() => ctx.toggle(key)}
        onKeyDown={(e) => toggleKeys(e, () => ctx.toggle(key))}
      >
        <span class={`chevron${open ? ' open' : ''}`} aria-hidden="true">
          ▸
        </span>
        <span class="tree-group-name">{name}</span>
        <span class="count tree-node-count" data-online={c.devicesOnline} data-total={c.devices}>
          {c.devicesOnline}/{c.devices}
        </span>
      </div>
      {open && (kids.length || devices.length) ? (
        <ul role="group">
          {kids.map((n) => (
            <NodeRow key={n.id} node={n} ctx={ctx} />
          ))}
          {devices.map((d) => (
            <DeviceRow key={d.id} device={d} ctx={ctx} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function OrgTreeView(props: Props) {
  const { t } = useI18n();
  const { org, cameras, units } = useServices();
  const state = useStore(org);
  const cams = useStore(cameras);
  const us = useStore(units);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const query = props.query.trim();
  const visible = useMemo(() => {
    if (!query) return null;
    const m = queryMatchers(query);
    // A channel the console knows as a camera or unit also matches by what the grouped tree searched (description, URL, officer).
    const sourceHit = (id: number) => {
      const s = findSource(cams, us, id);
      return s !== null && sourceMatches(s, query);
    };
    return visibleFor(state, { ...m, channel: (c) => textMatches(query, [c.name, c.code]) || sourceHit(c.id) });
  }, [state, query, cams, us]);
  const root = rootNode(state);
  if (!root) return <p class="muted rail-note">{t('common.loading')}</p>;
  if (visible && visible.nodes.size === 0) return <p class="muted rail-note">{t('tree.noMatch')}</p>;
  const toggle = (key: string) => {
    const next = new Set(collapsed);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setCollapsed(next);
  };
  const ctx: Ctx = { ...props, state, cams, units: us, visible, collapsed, toggle };
  return (
    <ul class="tree org-tree" role="tree" aria-label={t('tree.label')}>
      <NodeRow node={root} ctx={ctx} />
    </ul>
  );
}
