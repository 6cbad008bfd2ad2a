/** A supplier granted a bureau a mandate (snapshot, aggregate "mandate"). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { MandateSnapshot } from './supplier.js';

export const RegistryMandateGranted = EventSchema('registry.mandate.granted', MandateSnapshot);
export type RegistryMandateGranted = Static<typeof RegistryMandateGranted>;
