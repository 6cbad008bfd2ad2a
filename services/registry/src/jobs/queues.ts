/** The registry's private queues (BullMQ), declared once with their payloads and retry policy. */
import { Type } from 'typebox';
import { defineQueues } from '@vinculo/service-kit/jobs';

export const registryQueues = defineQueues({
  'invitation-email': {
    payload: Type.Object({
      invitationId: Type.String(),
      email: Type.String(),
      organizationName: Type.String(),
      role: Type.String(),
      // The raw token must reach the e-mail; the job is deleted once done so it does not linger in Redis.
      token: Type.String(),
      expiresAt: Type.String(),
      locale: Type.Union([Type.Literal('es'), Type.Literal('en')]),
      correlationId: Type.String(),
    }),
    attempts: 8,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { count: 0 },
    removeOnFail: { age: 7 * 86_400 },
  },
});
