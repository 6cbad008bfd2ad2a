/** Snapshot event: an organisation's public data changed; carries the whole snapshot and a higher aggregate version. */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { OrgSnapshot } from './common.js';

export const RegistryOrgUpdated = EventSchema('registry.org.updated', OrgSnapshot);
export type RegistryOrgUpdated = Static<typeof RegistryOrgUpdated>;
