/**
 * The NATS connection: reconnects forever (nats.js gives up after ~20 s by default) and logs every status
 * change, so an outage shows in the logs and never ends the process.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { errorMessage, type EventsLogger } from './log.js';

export interface ConnectNatsOptions {
  url: string;
  /** Connection name shown by the server (service and replica). */
  name: string;
  log: EventsLogger;
  reconnectTimeWaitMs?: number;
  /** Keep retrying the first connection too, so a service can boot before NATS (default true). */
  waitOnFirstConnect?: boolean;
}

export async function connectNats(opts: ConnectNatsOptions): Promise<NatsConnection> {
  const nc = await connect({
    servers: opts.url,
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: opts.reconnectTimeWaitMs ?? 1_000,
    waitOnFirstConnect: opts.waitOnFirstConnect ?? true,
    pingInterval: 10_000,
    maxPingOut: 3,
  });
  const { log } = opts;
  log.info({ server: nc.getServer(), name: opts.name }, 'nats connected');
  void (async () => {
    for await (const s of nc.status()) {
      switch (s.type) {
        case 'disconnect':
          log.warn({ server: s.server }, 'nats disconnected');
          break;
        case 'reconnect':
          log.info({ server: s.server }, 'nats reconnected');
          break;
        case 'reconnecting':
          log.debug({}, 'nats reconnecting');
          break;
        case 'error':
          log.error({ err: errorMessage(s.error) }, 'nats error');
          break;
        case 'staleConnection':
          log.warn({}, 'nats stale connection');
          break;
        case 'slowConsumer':
          log.warn({ sub: s.sub.getSubject() }, 'nats slow consumer');
          break;
        case 'close':
          log.info({}, 'nats connection closed');
          break;
        case 'update':
        case 'ldm':
        case 'ping':
        case 'forceReconnect':
          log.debug({ status: s.type }, 'nats status');
          break;
      }
    }
  })().catch((err: unknown) => log.error({ err: errorMessage(err) }, 'nats status watcher failed'));
  return nc;
}
