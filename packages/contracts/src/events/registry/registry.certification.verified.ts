/** An assigned auditor verified the certificate (snapshot). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { CertificationSnapshot } from './supplier.js';

export const RegistryCertificationVerified = EventSchema(
  'registry.certification.verified',
  CertificationSnapshot,
);
export type RegistryCertificationVerified = Static<typeof RegistryCertificationVerified>;
