/** What every use case needs to know about the request it serves. */
import type { Principal } from '@vinculo/service-kit/auth';

export interface RequestContext {
  correlationId: string;
  principal?: Principal;
}
