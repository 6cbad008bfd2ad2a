/** A supplier profile was created (snapshot, aggregate "supplier" = the organisation id). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { SupplierSnapshot } from './supplier.js';

export const RegistrySupplierRegistered = EventSchema('registry.supplier.registered', SupplierSnapshot);
export type RegistrySupplierRegistered = Static<typeof RegistrySupplierRegistered>;
