/** A certificate was declared (snapshot, aggregate "certification"). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { CertificationSnapshot } from './supplier.js';

export const RegistryCertificationAdded = EventSchema('registry.certification.added', CertificationSnapshot);
export type RegistryCertificationAdded = Static<typeof RegistryCertificationAdded>;
