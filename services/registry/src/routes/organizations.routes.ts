/** Organisation profile, members, invitations and API keys. Every :orgId that is not the caller's is a 404. */
import { Type } from 'typebox';
import {
  CursorQuery,
  DEFAULT_PAGE_SIZE,
  httpErrors,
  Paginated,
  decodeCursor,
  encodeCursor,
  type HttpServer,
} from '@vinculo/service-kit/http';
import type { AuthHook } from '@vinculo/service-kit/auth';
import * as orgs from '../domain/organizations.js';
import type { OrganizationDeps } from '../domain/organizations.js';
import { contextOf } from './context.js';
import * as S from './schemas.js';

export interface OrganizationRouteDeps extends OrganizationDeps {
  authenticate: AuthHook;
}

const Errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem };
// Cursors are client-held: validate them as strictly as any input before they reach SQL.
const IsoTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z$' });
const UuidText = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const PageCursor = Type.Object({ createdAt: IsoTime, id: UuidText });

/** The pattern admits impossible instants (month 13); only a round trip through Date proves one is real. */
function realInstant<T extends { createdAt: string }>(c: T | undefined): T | undefined {
  if (
    c &&
    (Number.isNaN(Date.parse(c.createdAt)) ||
      new Date(c.createdAt).toISOString().slice(0, 19) !== c.createdAt.slice(0, 19))
  ) {
    throw httpErrors.INVALID_CURSOR();
  }
  return c;
}
const MemberCursor = Type.Object({ createdAt: IsoTime, userId: UuidText });

export function organizationRoutes(app: HttpServer, deps: OrganizationRouteDeps): void {
  const auth = { onRequest: deps.authenticate };
  const tags = ['organizations'];
  const security = [{ bearer: [] }];

  app.get(
    '/organizations/:orgId',
    {
      ...auth,
      schema: { tags, security, params: S.OrgParams, response: { 200: S.Organization, ...Errors } },
    },
    async (req) => orgs.getOrganization(deps, req.params.orgId, contextOf(req)),
  );

  app.patch(
    '/organizations/:orgId',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: S.OrgParams,
        body: S.OrganizationPatch,
        response: { 200: S.Organization, ...Errors },
      },
    },
    async (req) => orgs.updateOrganization(deps, req.params.orgId, req.body, contextOf(req)),
  );

  app.get(
    '/organizations/:orgId/members',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: S.OrgParams,
        querystring: CursorQuery,
        response: { 200: Paginated(S.Member), ...Errors },
      },
    },
    async (req) => {
      const after = req.query.cursor ? realInstant(decodeCursor(req.query.cursor, MemberCursor)) : undefined;
      const page = await orgs.listMembers(
        deps,
        req.params.orgId,
        { limit: req.query.limit ?? DEFAULT_PAGE_SIZE, ...(after ? { after } : {}) },
        contextOf(req),
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.patch(
    '/organizations/:orgId/members/:userId',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: S.MemberParams,
        body: S.RoleBody,
        response: { 204: Type.Null(), ...Errors },
      },
    },
    async (req, reply) => {
      await orgs.changeRole(deps, req.params.orgId, req.params.userId, req.body.role, contextOf(req));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/organizations/:orgId/members/:userId',
    {
      ...auth,
      schema: { tags, security, params: S.MemberParams, response: { 204: Type.Null(), ...Errors } },
    },
    async (req, reply) => {
      await orgs.removeMember(deps, req.params.orgId, req.params.userId, contextOf(req));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/organizations/:orgId/invitations',
    {
      ...auth,
      config: { idempotent: true },
      schema: {
        tags,
        security,
        params: S.OrgParams,
        body: S.InvitationBody,
        response: { 201: S.Invitation, ...Errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await orgs.invite(deps, req.params.orgId, req.body, contextOf(req))),
  );

  app.get(
    '/organizations/:orgId/invitations',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: S.OrgParams,
        querystring: CursorQuery,
        response: { 200: Paginated(S.Invitation), ...Errors },
      },
    },
    async (req) => {
      const before = req.query.cursor ? realInstant(decodeCursor(req.query.cursor, PageCursor)) : undefined;
      const page = await orgs.listInvitations(
        deps,
        req.params.orgId,
        { limit: req.query.limit ?? DEFAULT_PAGE_SIZE, ...(before ? { before } : {}) },
        contextOf(req),
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.delete(
    '/organizations/:orgId/invitations/:invitationId',
    {
      ...auth,
      schema: { tags, security, params: S.InvitationParams, response: { 204: Type.Null(), ...Errors } },
    },
    async (req, reply) => {
      await orgs.revokeInvitation(deps, req.params.orgId, req.params.invitationId, contextOf(req));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/invitations/accept',
    { schema: { tags, body: S.AcceptInvitationBody, response: { 200: S.TokenPair, ...Errors } } },
    async (req) => orgs.acceptInvitation(deps, req.body, contextOf(req)),
  );

  app.post(
    '/organizations/:orgId/api-keys',
    {
      ...auth,
      config: { idempotent: true },
      schema: {
        tags,
        security,
        params: S.OrgParams,
        body: S.ApiKeyBody,
        response: { 201: S.CreatedApiKey, ...Errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await orgs.createApiKey(deps, req.params.orgId, req.body, contextOf(req))),
  );

  app.get(
    '/organizations/:orgId/api-keys',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: S.OrgParams,
        querystring: CursorQuery,
        response: { 200: Paginated(S.ApiKey), ...Errors },
      },
    },
    async (req) => {
      const before = req.query.cursor ? realInstant(decodeCursor(req.query.cursor, PageCursor)) : undefined;
      const page = await orgs.listApiKeys(
        deps,
        req.params.orgId,
        { limit: req.query.limit ?? DEFAULT_PAGE_SIZE, ...(before ? { before } : {}) },
        contextOf(req),
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.delete(
    '/organizations/:orgId/api-keys/:keyId',
    {
      ...auth,
      schema: { tags, security, params: S.ApiKeyParams, response: { 204: Type.Null(), ...Errors } },
    },
    async (req, reply) => {
      await orgs.revokeApiKey(deps, req.params.orgId, req.params.keyId, contextOf(req));
      return reply.code(204).send(null);
    },
  );
}
