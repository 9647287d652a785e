// Catalog keys for the server's enumerations: camera states, roles, error kinds, transports, audit actions.
import type { CameraState, Role, Transport, UnitType } from '../common/api';
import { ErrorKind } from '../common/errors';
import { assertNever } from '../common/events';
import type { ClientErrorKind } from './api';
import type { MessageKey } from './i18n/index';
import { accountsAuditActions } from './i18n/accounts';
import { auditLogActions } from './i18n/audit';
import { alarmsAuditActions } from './i18n/alarms';
import { gpsAuditActions } from './i18n/gps';
import { devicesAuditActions } from './i18n/devices-audit';
import { gb28181AuditActions } from './i18n/gb28181';
import { investigationAuditActions } from './i18n/investigation';
import { onvifAuditActions } from './i18n/onvif';
import { gbCascadeAuditActions } from './i18n/gb-cascade';
import { gbControlAuditActions } from './i18n/gb-control';
import { gbRecordsAuditActions } from './i18n/gb28181-records';
import { securityAuditActions } from './i18n/audit-security';

export function statusKey(state: CameraState): MessageKey {
  switch (state) {
    case 'stopped':
      return 'status.stopped';
    case 'connecting':
      return 'status.connecting';
    case 'recording':
      return 'status.recording';
    case 'reconnecting':
      return 'status.reconnecting';
    case 'failed':
      return 'status.failed';
    default:
      return assertNever(state);
  }
}

export function roleKey(role: Role): MessageKey {
  switch (role) {
    case 'admin':
      return 'role.admin';
    case 'dispatcher':
      return 'role.dispatcher';
    case 'investigator':
      return 'role.investigator';
    case 'officer':
      return 'role.officer';
    default:
      return assertNever(role);
  }
}

export function transportKey(t: Transport): MessageKey {
  switch (t) {
    case 'tcp':
      return 'transport.tcp';
    case 'udp':
      return 'transport.udp';
    default:
      return assertNever(t);
  }
}

export function errorKindKey(kind: ClientErrorKind): MessageKey {
  switch (kind) {
    case ErrorKind.BadRequest:
      return 'errorKind.bad_request';
    case ErrorKind.Validation:
      return 'errorKind.validation';
    case ErrorKind.Unauthorized:
      return 'errorKind.unauthorized';
    case ErrorKind.Forbidden:
      return 'errorKind.forbidden';
    case ErrorKind.NotFound:
      return 'errorKind.not_found';
    case ErrorKind.MethodNotAllowed:
      return 'errorKind.method_not_allowed';
    case ErrorKind.Conflict:
      return 'errorKind.conflict';
    case ErrorKind.PayloadTooLarge:
      return 'errorKind.payload_too_large';
    case ErrorKind.TooManyRequests:
      return 'errorKind.too_many_requests';
    case ErrorKind.Unavailable:
      return 'errorKind.unavailable';
    case ErrorKind.Internal:
      return 'errorKind.internal';
    case 'network':
      return 'errorKind.network';
    default:
      return assertNever(kind);
  }
}

/** Audit actions the server writes today, with their catalog keys; unknown actions are shown as written. */
export const AUDIT_ACTIONS = {
  'auth.login': 'audit.action.auth.login',
  'auth.login_failed': 'audit.action.auth.login_failed',
  'auth.logout': 'audit.action.auth.logout',
  'auth.login_throttled': 'audit.action.auth.login_throttled',
  'auth.session_revoke': 'audit.action.auth.session_revoke',
  'camera.create': 'audit.action.camera.create',
  'camera.update': 'audit.action.camera.update',
  'camera.delete': 'audit.action.camera.delete',
  'user.create': 'audit.action.user.create',
  'user.update': 'audit.action.user.update',
  deny: 'audit.action.deny',
  ...investigationAuditActions,
  ...onvifAuditActions,
  ...gbControlAuditActions,
  ...gbCascadeAuditActions,
  ...alarmsAuditActions,
  ...gpsAuditActions,
  ...devicesAuditActions,
  ...gb28181AuditActions,
  ...accountsAuditActions,
  ...auditLogActions,
  ...securityAuditActions,
  ...gbRecordsAuditActions,
} as const satisfies Record<string, MessageKey>;

export function auditActionKey(action: string): MessageKey | null {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action as keyof typeof AUDIT_ACTIONS] : null;
}

export function unitTypeKey(type: UnitType): MessageKey {
  switch (type) {
    case 'vehicle':
      return 'unitType.vehicle';
    case 'body':
      return 'unitType.body';
    case 'handheld':
      return 'unitType.handheld';
    case 'portable':
      return 'unitType.portable';
    default:
      return assertNever(type);
  }
}
