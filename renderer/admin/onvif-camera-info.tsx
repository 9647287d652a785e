// ONVIF facts of one camera for its detail panel: device, reachability, clock offset (flagged beyond 5 s), event support.
import { useEffect, useState } from 'preact/hooks';
import type { OnvifDeviceView } from '../../common/onvif';
import { useI18n } from '../i18n/index';
import { onvifApi } from '../live/ptz-api';
import { useServices } from '../services';

/** Renders <dt>/<dd> pairs inside the detail's <dl>; nothing for cameras that are not ONVIF cameras. */
export function OnvifCameraInfo({ cameraId }: { cameraId: number }) {
  const { t } = useI18n();
  const { events } = useServices();
  const [device, setDevice] = useState<OnvifDeviceView | null>(null);
  useEffect(() => {
    onvifApi.devices().then(
      (list) => setDevice(list.find((d) => d.cameraIds.includes(cameraId)) ?? null),
      () => setDevice(null),
    );
    return events.subscribe((ev) => {
      if (ev.type === 'onvif.health' && ev.cameraIds.includes(cameraId)) setDevice((d) => (d ? { ...d, health: ev.health } : d));
    });
  }, [cameraId]);
  if (!device) return null;
  const h = device.health;
  const sec = h.clockOffsetMs !== null ? (h.clockOffsetMs / 1000).toFixed(1) : null;
  return (
    <>
      <dt>{t('onvif.devices.title')}</dt>
      <dd data-onvif-device={device.id}>
        {[device.manufacturer, device.model].filter(Boolean).join(' ')} · <span class="mono">{`${device.host}:${device.port}`}</span> ·{' '}
        {h.reachable ? t('onvif.devices.reachable') : t('onvif.devices.unreachable')}
      </dd>
      <dt>{t('onvif.col.clock')}</dt>
      <dd class={h.clockSkewed ? 'onvif-skew' : ''} data-clock-skewed={h.clockSkewed} title={h.clockSkewed ? t('onvif.ptz.clockSkewHint') : ''}>
        {sec === null ? t('common.none') : h.clockSkewed ? `⚠ ${t('onvif.ptz.clockSkew', { seconds: sec })}` : t('onvif.devices.clockOk', { seconds: sec })}
      </dd>
      <dt>{t('onvif.col.events')}</dt>
      <dd>
        {device.events === 'supported'
          ? t('onvif.devices.eventsSupported')
          : device.events === 'unsupported'
            ? t('onvif.devices.eventsUnsupported')
            : t('onvif.devices.eventsUnknown')}
      </dd>
    </>
  );
}
