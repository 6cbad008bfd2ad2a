/** Either side ended a mandate (snapshot). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { MandateSnapshot } from './supplier.js';

export const RegistryMandateRevoked = EventSchema('registry.mandate.revoked', MandateSnapshot);
export type RegistryMandateRevoked = Static<typeof RegistryMandateRevoked>;
