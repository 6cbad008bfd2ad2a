/** Invitations, applications (quotes), the shortlist, awards and deals. The rules live in domain/deals.ts. */
import { ApplicationSnapshot, DealSnapshot, InvitationSnapshot } from '@vinculo/contracts';
import type { AuthHook } from '@vinculo/service-kit/auth';
import {
  CursorQuery,
  DEFAULT_PAGE_SIZE,
  Paginated,
  ProblemSchema,
  decodeCursor,
  encodeCursor,
  type HttpServer,
} from '@vinculo/service-kit/http';
import Type from 'typebox';
import * as deals from '../domain/deals.js';
import { contextOf } from './context.js';

export interface DealRouteDeps extends deals.DealDeps {
  authenticate: AuthHook;
}

const Errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};
const Uuid = Type.String({ format: 'uuid' });
const Money = Type.Object(
  {
    amountMinor: Type.Integer({
      minimum: 0,
      maximum: 1e15,
      description: 'integer minor units (centavos)',
    }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. MXN' }),
  },
  { additionalProperties: false },
);
const Attachment = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('document'),
      id: Type.String({
        pattern: '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{64})$',
        description: 'a registry document: its id or SHA-256',
      }),
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('url'),
      url: Type.String({ pattern: '^https://[^\\s]+$', maxLength: 2_000 }),
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    },
    { additionalProperties: false },
  ),
]);

const InvitationBody = Type.Object(
  { supplierId: Uuid, message: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 4_000 })])) },
  { additionalProperties: false },
);
const ApplicationBody = Type.Object(
  {
    supplierId: Type.Optional(Uuid),
    quote: Type.Object(
      {
        price: Money,
        leadTimeDays: Type.Integer({ minimum: 0, maximum: 3_650 }),
        notes: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 10_000 })])),
        attachments: Type.Optional(Type.Array(Attachment, { maxItems: 20 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const AwardBody = Type.Object(
  {
    value: Type.Optional(Money),
    tier: Type.Optional(
      Type.Union([Type.Null(), Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)]),
    ),
    startsOn: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })),
  },
  { additionalProperties: false },
);

const Application = Type.Intersect([ApplicationSnapshot, Type.Object({ version: Type.Integer() })]);
const ApplicationState = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('withdrawn'),
  Type.Literal('shortlisted'),
  Type.Literal('awarded'),
  Type.Literal('rejected'),
]);
const RequirementParams = Type.Object({ requirementId: Uuid });
const ApplicationParams = Type.Object({ applicationId: Uuid });
const DealParams = Type.Object({ dealId: Uuid });
const StateQuery = Type.Object(
  { ...CursorQuery.properties, state: Type.Optional(ApplicationState) },
  { additionalProperties: false },
);
const MineQuery = Type.Object(
  { ...CursorQuery.properties, state: Type.Optional(ApplicationState), requirementId: Type.Optional(Uuid) },
  { additionalProperties: false },
);

// Cursors are client-held: the last id of the previous page, checked as strictly as any input.
const IdCursor = Type.Object(
  { id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }) },
  { additionalProperties: false },
);
function pageOf(q: { limit?: number; cursor?: string }): { limit: number; before?: string } {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  return q.cursor ? { limit, before: decodeCursor(q.cursor, IdCursor).id } : { limit };
}
const nextCursor = (next: string | null) => (next ? encodeCursor({ id: next }) : null);

export function dealRoutes(app: HttpServer, deps: DealRouteDeps): void {
  const auth = { onRequest: deps.authenticate };
  const security = [{ bearer: [] }];

  app.post(
    '/requirements/:requirementId/invitations',
    {
      ...auth,
      config: { idempotent: true },
      schema: {
        tags: ['invitations'],
        security,
        description: "The requirement's buyer invites a supplier; the requirement becomes visible to it.",
        params: RequirementParams,
        body: InvitationBody,
        response: { 201: InvitationSnapshot, ...Errors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await deals.inviteSupplier(deps, req.params.requirementId, req.body, contextOf(req))),
  );

  app.get(
    '/requirements/:requirementId/invitations',
    {
      ...auth,
      schema: {
        tags: ['invitations'],
        security,
        params: RequirementParams,
        querystring: CursorQuery,
        response: { 200: Paginated(InvitationSnapshot), ...Errors },
      },
    },
    async (req) => {
      const page = await deals.listInvitations(
        deps,
        req.params.requirementId,
        pageOf(req.query),
        contextOf(req),
      );
      return { items: page.items, nextCursor: nextCursor(page.next) };
    },
  );

  app.post(
    '/requirements/:requirementId/applications',
    {
      ...auth,
      config: { idempotent: true },
      schema: {
        tags: ['applications'],
        security,
        description:
          'A supplier applies with a quote, or a bureau for a member under a mandate with the apply scope.',
        params: RequirementParams,
        body: ApplicationBody,
        response: { 201: Application, ...Errors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await deals.applyToRequirement(deps, req.params.requirementId, req.body, contextOf(req))),
  );

  app.get(
    '/requirements/:requirementId/applications',
    {
      ...auth,
      schema: {
        tags: ['applications'],
        security,
        description: "Every application to the requirement: its buyer's only.",
        params: RequirementParams,
        querystring: StateQuery,
        response: { 200: Paginated(Application), ...Errors },
      },
    },
    async (req) => {
      const page = await deals.listRequirementApplications(
        deps,
        req.params.requirementId,
        { ...pageOf(req.query), ...(req.query.state ? { state: req.query.state } : {}) },
        contextOf(req),
      );
      return { items: page.items, nextCursor: nextCursor(page.next) };
    },
  );

  app.get(
    '/applications',
    {
      ...auth,
      schema: {
        tags: ['applications'],
        security,
        description: "The caller's applications: as the applicant supplier or as the applying bureau.",
        querystring: MineQuery,
        response: { 200: Paginated(Application), ...Errors },
      },
    },
    async (req) => {
      const page = await deals.listMyApplications(
        deps,
        {
          ...pageOf(req.query),
          ...(req.query.state ? { state: req.query.state } : {}),
          ...(req.query.requirementId ? { requirementId: req.query.requirementId } : {}),
        },
        contextOf(req),
      );
      return { items: page.items, nextCursor: nextCursor(page.next) };
    },
  );

  app.get(
    '/applications/:applicationId',
    {
      ...auth,
      schema: {
        tags: ['applications'],
        security,
        params: ApplicationParams,
        response: { 200: Application, ...Errors },
      },
    },
    async (req) => deals.getApplication(deps, req.params.applicationId, contextOf(req)),
  );

  app.post(
    '/applications/:applicationId/withdraw',
    {
      ...auth,
      schema: {
        tags: ['applications'],
        security,
        params: ApplicationParams,
        response: { 200: Application, ...Errors },
      },
    },
    async (req) => deals.withdrawApplication(deps, req.params.applicationId, contextOf(req)),
  );

  for (const [action, add] of [
    ['shortlist', true],
    ['unshortlist', false],
  ] as const) {
    app.post(
      `/applications/:applicationId/${action}`,
      {
        ...auth,
        schema: {
          tags: ['applications'],
          security,
          params: ApplicationParams,
          response: { 200: Application, ...Errors },
        },
      },
      async (req) => deals.changeShortlist(deps, req.params.applicationId, add, contextOf(req)),
    );
  }

  app.post(
    '/applications/:applicationId/award',
    {
      ...auth,
      config: { idempotent: true },
      schema: {
        tags: ['deals'],
        security,
        description:
          'Awards the requirement to this application: the requirement becomes awarded (final) and a deal is created.',
        params: ApplicationParams,
        body: AwardBody,
        response: { 201: DealSnapshot, ...Errors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await deals.awardApplication(deps, req.params.applicationId, req.body, contextOf(req))),
  );

  app.get(
    '/deals',
    {
      ...auth,
      schema: {
        tags: ['deals'],
        security,
        description: 'Deals the caller is party to: as buyer, supplier or brokering bureau.',
        querystring: CursorQuery,
        response: { 200: Paginated(DealSnapshot), ...Errors },
      },
    },
    async (req) => {
      const page = await deals.listDeals(deps, pageOf(req.query), contextOf(req));
      return { items: page.items, nextCursor: nextCursor(page.next) };
    },
  );

  app.get(
    '/deals/:dealId',
    {
      ...auth,
      schema: { tags: ['deals'], security, params: DealParams, response: { 200: DealSnapshot, ...Errors } },
    },
    async (req) => deals.getDeal(deps, req.params.dealId, contextOf(req)),
  );
}
