// The QR code and key of a TOTP setup: the server's SVG shown as an image (data: URL, no script, no network).
import type { TotpSetup } from '../../common/factors';
import { useI18n } from '../i18n/index';

export function TotpQr({ setup }: { setup: TotpSetup }) {
  const { t } = useI18n();
  return (
    <div class="totp-qr">
      <img src={`data:image/svg+xml;base64,${btoa(setup.qrSvg)}`} width={180} height={180} alt={setup.uri} />
      <div class="muted">
        {t('factors.dialog.key')}: <code data-testid="totp-secret">{setup.secret}</code>
      </div>
    </div>
  );
}
