/** Snapshot event: an organisation was created (aggregate 'org', version 1). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { OrgSnapshot } from './common.js';

export const RegistryOrgCreated = EventSchema('registry.org.created', OrgSnapshot);
export type RegistryOrgCreated = Static<typeof RegistryOrgCreated>;
