// The <option>s of an alarm-source picker: every camera by name, then every unit by callsign.
import { useServices } from '../services';
import { useStore } from '../state/store';

export function SourceOptions() {
  const services = useServices();
  const cameras = useStore(services.cameras);
  const units = useStore(services.units);
  return (
    <>
      {[...cameras.values()].map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
      {[...units.values()].map((u) => (
        <option key={u.id} value={u.id}>
          {u.callsign}
        </option>
      ))}
    </>
  );
}
