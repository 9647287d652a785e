// Path parameter schemas shared by several endpoint declarations.
import { s } from '../schema';

export const IdParams = s.object({ id: s.int({ min: 1, description: 'numeric id' }) });
