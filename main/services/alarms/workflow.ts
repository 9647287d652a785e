// Alarm workflow (pure): which step may follow which state: new → acknowledged → in_progress (notes) → closed.
import type { AlarmState, AlarmTransition } from '../../../common/alarms';

/** The state after `action`, or an error message an operator understands. 'note' keeps the state (null). */
export function applyTransition(current: AlarmState, action: AlarmTransition): { ok: true; state: AlarmState | null } | { ok: false; message: string } {
  if (current === 'closed') return { ok: false, message: 'the alarm is closed' };
  switch (action) {
    case 'acknowledge':
      return current === 'new' ? { ok: true, state: 'acknowledged' } : { ok: false, message: `the alarm is already ${current.replace('_', ' ')}` };
    case 'start':
      return current === 'in_progress' ? { ok: false, message: 'the alarm is already in progress' } : { ok: true, state: 'in_progress' };
    case 'close':
      return { ok: true, state: 'closed' };
    case 'note':
      return { ok: true, state: null };
  }
}
