// Alarm workflow (pure): which step may follow which state: new → acknowledged → in_progress (notes) → closed.
import type { AlarmState, AlarmTransition } from '../../../common/alarms';
import { englishOf, msg, type ServerMessage } from '../../../common/messages';

/** The state after `action`, or an error message an operator understands. 'note' keeps the state (null). */
export function applyTransition(
  current: AlarmState,
  action: AlarmTransition,
): { ok: true; state: AlarmState | null } | { ok: false; message: string; msg: ServerMessage } {
  const refuse = (m: ServerMessage) => ({ ok: false as const, message: englishOf(m), msg: m });
  if (current === 'closed') return refuse(msg('alarm.closed'));
  switch (action) {
    case 'acknowledge':
      return current === 'new'
        ? { ok: true, state: 'acknowledged' }
        : refuse(current === 'acknowledged' ? msg('alarm.already_acknowledged') : msg('alarm.already_in_progress'));
    case 'start':
      return current === 'in_progress' ? refuse(msg('alarm.already_in_progress')) : { ok: true, state: 'in_progress' };
    case 'close':
      return { ok: true, state: 'closed' };
    case 'note':
      return { ok: true, state: null };
  }
}
