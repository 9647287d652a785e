// Alarm action outcomes as codes: why an action failed (a reason code, never the raw error), an English line for the server log, the note of what a rule makes.
import type { Alarm, AlarmOutcomeCode, AlarmOutcomeParams, AlarmOutcomeReason } from '../../../common/alarms';
import { ErrorKind } from '../../../common/errors';
import { DomainError } from '../../platform/errors';

/** An action that did not answer in time. */
export class ActionTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
  }
}

/** DomainError codes the snapshot service gives (main/services/investigation/service.ts) and the reason each means. */
const REASON_OF_CODE: Record<string, AlarmOutcomeReason> = {
  'snapshot.not_recording': 'not_recording',
  'snapshot.no_frame': 'no_frame',
};

/** The reason code (and its params) of a failed action; the raw error is for the server log only. */
export function failureReason(err: unknown): { reason: AlarmOutcomeReason; timeoutS?: number } {
  if (err instanceof ActionTimeout) return { reason: 'timeout', timeoutS: Math.round(err.timeoutMs / 1000) };
  if (err instanceof DomainError) {
    const byCode = err.code ? REASON_OF_CODE[err.code] : undefined;
    if (byCode) return { reason: byCode };
    // The ONVIF feature refuses a preset on a camera without PTZ (a plain RTSP camera, or one not added through ONVIF).
    if (err.code === 'onvif.no_ptz' || err.code === 'onvif.not_onvif') return { reason: 'no_ptz' };
    switch (err.kind) {
      case ErrorKind.NotFound:
        return { reason: 'not_found' };
      case ErrorKind.Conflict:
      case ErrorKind.Forbidden:
      case ErrorKind.Validation:
      case ErrorKind.BadRequest:
        return { reason: 'refused' };
      case ErrorKind.Unavailable:
        return { reason: 'unavailable' };
      default:
        return { reason: 'error' };
    }
  }
  return { reason: 'error' };
}

/** English description of an outcome for the server log and API clients without a console (the console words the code). */
export function outcomeLogText(code: AlarmOutcomeCode, p: AlarmOutcomeParams): string {
  const why = p.reason ? ` (${p.reason})` : '';
  switch (code) {
    case 'wall':
      return `camera ${p.cameraId} → window ${p.window}, ${p.tile === null || p.tile === undefined ? 'next free tile' : `tile ${p.tile}`}`;
    case 'sound':
      return 'alarm sound';
    case 'desktop':
      return 'desktop notification';
    case 'notify':
      return [p.roles ? `roles ${p.roles}` : '', p.users ? `users ${p.users}` : ''].filter(Boolean).join('; ');
    case 'ptz_preset':
      return `preset ${p.presetId} on camera ${p.cameraId}${why}`;
    case 'bookmark':
      return `camera ${p.cameraId} from ${p.beforeS} s before to ${p.afterS} s after${why}`;
    case 'snapshot':
      return `camera ${p.cameraId}${why}`;
    case 'escalate':
      return `nobody acknowledged within ${p.waitedS} s: escalated to ${p.role}`;
    case 'no_camera':
      return 'the alarm has no camera';
  }
}

/** The note of a bookmark or snapshot an alarm rule made: no words, so it reads the same in every language ("#35 · Gate"). */
export function alarmNote(alarm: Alarm): string {
  return `#${alarm.id} · ${alarm.sourceName}`;
}

/** A message for an action error in the server log (never a stack, never shown to a user). */
export function errText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500) || 'failed';
}
