import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../domain/context.js';

export function contextOf(req: FastifyRequest): RequestContext {
  return { correlationId: req.correlationId, ...(req.principal ? { principal: req.principal } : {}) };
}
