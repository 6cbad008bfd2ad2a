import type { ConsumerMessages } from '@nats-io/jetstream';
import type { EventsLogger } from './log.js';

/**
 * Ends a consume loop that can no longer deliver, so the caller's loop re-creates it: after two missed heartbeats
 * (a pull left idle by a server restart) or when its consumer or stream is gone. `context` labels the warnings
 * (e.g. `{ consumer: 'matching-registry' }`). Resolves when the loop's status stream ends.
 */
export async function closeWhenStuck(
  messages: ConsumerMessages,
  log: EventsLogger,
  context: Record<string, unknown>,
): Promise<void> {
  for await (const s of messages.status()) {
    if (s.type === 'heartbeats_missed') {
      log.warn({ ...context, count: s.count }, 'consumer heartbeats missed');
      if (s.count >= 2) await messages.close();
    } else if (
      s.type === 'consumer_deleted' ||
      s.type === 'consumer_not_found' ||
      s.type === 'stream_not_found'
    ) {
      log.warn({ ...context, status: s.type }, 'consumer or stream missing; re-creating the loop');
      await messages.close();
    }
  }
}
