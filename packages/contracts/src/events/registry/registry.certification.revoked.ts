/** The supplier or the issuing body revoked the certificate (snapshot). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { CertificationSnapshot } from './supplier.js';

export const RegistryCertificationRevoked = EventSchema(
  'registry.certification.revoked',
  CertificationSnapshot,
);
export type RegistryCertificationRevoked = Static<typeof RegistryCertificationRevoked>;
