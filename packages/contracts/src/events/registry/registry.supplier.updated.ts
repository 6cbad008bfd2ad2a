/** A supplier profile changed (snapshot with a higher aggregate version). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { SupplierSnapshot } from './supplier.js';

export const RegistrySupplierUpdated = EventSchema('registry.supplier.updated', SupplierSnapshot);
export type RegistrySupplierUpdated = Static<typeof RegistrySupplierUpdated>;
