/** A certificate's data changed (snapshot). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { CertificationSnapshot } from './supplier.js';

export const RegistryCertificationUpdated = EventSchema(
  'registry.certification.updated',
  CertificationSnapshot,
);
export type RegistryCertificationUpdated = Static<typeof RegistryCertificationUpdated>;
