/** An assigned auditor rejected the certificate, with a reason (snapshot). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { CertificationSnapshot } from './supplier.js';

export const RegistryCertificationRejected = EventSchema(
  'registry.certification.rejected',
  CertificationSnapshot,
);
export type RegistryCertificationRejected = Static<typeof RegistryCertificationRejected>;
