// One ConsoleAlarms per signed-in console (keyed by its event stream), started on first use; and the hook components read it with.
import type { ConsoleServices } from '../services';
import { alarmApi } from './alarm-api';
import { ConsoleAlarms } from './alarm-center';

const instances = new WeakMap<object, ConsoleAlarms>();

export function consoleAlarms(services: Pick<ConsoleServices, 'events' | 'user'>): ConsoleAlarms {
  let c = instances.get(services.events);
  if (!c) {
    c = new ConsoleAlarms({
      api: alarmApi,
      subscribe: (fn) => services.events.subscribe(fn),
      me: { id: services.user.id, role: services.user.role },
      log: (m) => console.info(m),
    });
    instances.set(services.events, c);
    c.start();
  }
  return c;
}
