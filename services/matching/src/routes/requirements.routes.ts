/** Requirements (RFQs) and their ranked matches. The rules live in domain/requirements.ts. */
import { CRITERIA, type Criterion } from '@vinculo/matching-engine';
import type { AuthHook } from '@vinculo/service-kit/auth';
import {
  CursorQuery,
  DEFAULT_PAGE_SIZE,
  Paginated,
  ProblemSchema,
  decodeCursor,
  encodeCursor,
  httpErrors,
  type HttpServer,
} from '@vinculo/service-kit/http';
import Type from 'typebox';
import * as requirements from '../domain/requirements.js';
import { RequirementSnapshot } from '../events/matching.events.js';
import { contextOf } from './context.js';

export interface RequirementRouteDeps extends requirements.RequirementDeps {
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
const CalendarDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD, America/Mexico_City calendar',
});
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Code = Type.String({
  pattern: '^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$',
  description: 'SCIAN, UNSPSC, part or drawing code',
});
const Certificate = Type.Object(
  { standardId: Type.String({ minLength: 1, maxLength: 80 }), verifiedOnly: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

const RequirementBody = Type.Object(
  {
    title: Text(300),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    items: Type.Array(
      Type.Object(
        {
          description: Text(2_000),
          codes: Type.Array(Code, { maxItems: 20 }),
          quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e12 }),
          unit: Text(50),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    capabilities: Type.Object(
      {
        scianCodes: Type.Array(Type.String({ pattern: '^[0-9]{2,6}$' }), { maxItems: 50 }),
        processTags: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 50 }),
      },
      { additionalProperties: false },
    ),
    mustHaveCertificates: Type.Array(Certificate, { maxItems: 20 }),
    niceToHaveCertificates: Type.Optional(Type.Array(Certificate, { maxItems: 20 })),
    maxTier: Type.Optional(
      Type.Union([Type.Null(), Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)]),
    ),
    sizePreference: Type.Optional(
      Type.Union([Type.Null(), Type.Literal('sme-only'), Type.Literal('prefer-sme')]),
    ),
    location: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object(
          {
            lat: Type.Number({ minimum: -90, maximum: 90 }),
            lon: Type.Number({ minimum: -180, maximum: 180 }),
            radiusKm: Type.Number({ exclusiveMinimum: 0, maximum: 20_000 }),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
    volume: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object(
          {
            unit: Type.String({ minLength: 1, maxLength: 40 }),
            amountPerMonth: Type.Number({ exclusiveMinimum: 0, maximum: 1e12 }),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
    deadline: CalendarDate,
    visibility: Type.Union([Type.Literal('public'), Type.Literal('invited'), Type.Literal('bureaus')]),
  },
  { additionalProperties: false },
);

const Requirement = Type.Intersect([RequirementSnapshot, Type.Object({ version: Type.Integer() })]);
const Params = Type.Object({ requirementId: Uuid });
const State = Type.Union([
  Type.Literal('draft'),
  Type.Literal('open'),
  Type.Literal('closed'),
  Type.Literal('awarded'),
  Type.Literal('cancelled'),
]);
const ListQuery = Type.Object(
  { ...CursorQuery.properties, state: Type.Optional(State) },
  { additionalProperties: false },
);

// Cursors are client-held: validate them as strictly as any input before they reach SQL.
const PageCursor = Type.Object(
  {
    createdAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' }),
    id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
  },
  { additionalProperties: false },
);
function pageCursor(cursor: string) {
  const c = decodeCursor(cursor, PageCursor);
  const t = new Date(c.createdAt);
  if (Number.isNaN(t.getTime()) || t.toISOString() !== c.createdAt) throw httpErrors.INVALID_CURSOR();
  return c;
}

const weightKeys = CRITERIA.map((c) => `weights.${c}` as const);
const MatchesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
    nearMisses: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 50, default: 10, description: 'how many near misses, best first' }),
    ),
    ...Object.fromEntries(
      weightKeys.map((k) => [
        k,
        Type.Optional(
          Type.Number({ minimum: 0, maximum: 100, description: 'relative weight of the criterion' }),
        ),
      ]),
    ),
  },
  { additionalProperties: false },
);

const Explanation = Type.Object({
  criterion: Type.String({ description: 'its weight is the one in `weights`' }),
  value: Type.Number({ description: 'normalised to 0..1 (six decimals)' }),
  contribution: Type.Number({
    description: 'weight × value / sum of weights (six decimals): they add up to the score',
  }),
  note: Type.String(),
});
const Gap = Type.Object({ constraint: Type.String(), gap: Type.String(), fix: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);
const Matches = Type.Object({
  requirementId: Type.String(),
  evaluatedOn: Type.String(),
  weights: Type.Record(Type.String(), Type.Number()),
  total: Type.Integer({ description: 'suppliers meeting every hard constraint' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  candidates: Type.Array(
    Type.Object({
      supplierId: Type.String(),
      name: Nullable(Type.String()),
      score: Type.Number(),
      explanation: Type.Array(Explanation),
    }),
  ),
  nearMisses: Type.Array(
    Type.Object({
      supplierId: Type.String(),
      name: Nullable(Type.String()),
      score: Type.Number(),
      gaps: Type.Array(Gap),
    }),
  ),
});

export function requirementRoutes(app: HttpServer, deps: RequirementRouteDeps): void {
  const auth = { onRequest: deps.authenticate };
  const tags = ['requirements'];
  const security = [{ bearer: [] }];

  app.post(
    '/requirements',
    {
      ...auth,
      config: { idempotent: true },
      schema: { tags, security, body: RequirementBody, response: { 201: Requirement, ...Errors } },
    },
    async (req, reply) =>
      reply.code(201).send(await requirements.createRequirement(deps, req.body, contextOf(req))),
  );

  app.get(
    '/requirements',
    {
      ...auth,
      schema: {
        tags,
        security,
        querystring: ListQuery,
        response: { 200: Paginated(Requirement), ...Errors },
      },
    },
    async (req) => {
      const after = req.query.cursor ? pageCursor(req.query.cursor) : undefined;
      const page = await requirements.listRequirements(
        deps,
        {
          limit: req.query.limit ?? DEFAULT_PAGE_SIZE,
          ...(req.query.state ? { state: req.query.state } : {}),
          ...(after ? { after } : {}),
        },
        contextOf(req),
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    '/requirements/:requirementId',
    { ...auth, schema: { tags, security, params: Params, response: { 200: Requirement, ...Errors } } },
    async (req) => requirements.getRequirement(deps, req.params.requirementId, contextOf(req)),
  );

  for (const action of ['open', 'close', 'cancel'] as const) {
    app.post(
      `/requirements/:requirementId/${action}`,
      { ...auth, schema: { tags, security, params: Params, response: { 200: Requirement, ...Errors } } },
      async (req) =>
        requirements.transitionRequirement(deps, req.params.requirementId, action, contextOf(req)),
    );
  }

  app.get(
    '/requirements/:requirementId/matches',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: Params,
        querystring: MatchesQuery,
        response: { 200: Matches, ...Errors },
      },
    },
    async (req) => {
      const q = req.query as Record<string, number | undefined>;
      const weights: Partial<Record<Criterion, number>> = {};
      for (const c of CRITERIA) {
        const w = q[`weights.${c}`];
        if (w !== undefined) weights[c] = w;
      }
      return requirements.getMatches(
        deps,
        req.params.requirementId,
        { limit: q.limit ?? 20, offset: q.offset ?? 0, nearMisses: q.nearMisses ?? 10, weights },
        contextOf(req),
      );
    },
  );
}
