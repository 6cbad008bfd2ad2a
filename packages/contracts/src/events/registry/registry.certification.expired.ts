/** The certificate passed the end of its last valid day, America/Mexico_City (snapshot). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { CertificationSnapshot } from './supplier.js';

export const RegistryCertificationExpired = EventSchema(
  'registry.certification.expired',
  CertificationSnapshot,
);
export type RegistryCertificationExpired = Static<typeof RegistryCertificationExpired>;
