/** The supplier side: opportunities, the upgrading roadmap, a bureau's members' fit. Rules: domain/opportunities.ts. */
import type { AuthHook } from '@vinculo/service-kit/auth';
import {
  ProblemSchema,
  decodeCursor,
  encodeCursor,
  httpErrors,
  type HttpServer,
} from '@vinculo/service-kit/http';
import Type from 'typebox';
import { isCalendarDate } from '../domain/context.js';
import * as opportunities from '../domain/opportunities.js';
import { RequirementSnapshot } from '../events/matching.events.js';
import { contextOf } from './context.js';

export interface OpportunityRouteDeps extends opportunities.OpportunityDeps {
  authenticate: AuthHook;
}

const Errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);

const SupplierQuery = {
  supplierId: Type.Optional(
    Type.String({
      format: 'uuid',
      description:
        "a bureau names the member it asks for (a mandate in force with 'view'); a supplier may omit it",
    }),
  ),
};
const OpportunitiesQuery = Type.Object(
  {
    ...SupplierQuery,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    status: Type.Optional(Type.Union([Type.Literal('qualifying'), Type.Literal('near-miss')])),
  },
  { additionalProperties: false },
);
const RoadmapQuery = Type.Object(SupplierQuery, { additionalProperties: false });

// Cursors are client-held: validated as strictly as any input before they reach SQL.
const Position = Type.Object(
  {
    deadline: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
  },
  { additionalProperties: false },
);
function position(cursor: string) {
  const p = decodeCursor(cursor, Position);
  // The pattern admits 2024-13-45, which PostgreSQL would refuse: a forged cursor is a 400, never a 500.
  if (!isCalendarDate(p.deadline)) throw httpErrors.INVALID_CURSOR();
  return p;
}

const Gap = Type.Object({ constraint: Type.String(), gap: Type.String(), fix: Type.String() });
const Highlight = Type.Object({ criterion: Type.String(), contribution: Type.Number(), note: Type.String() });
const Opportunity = Type.Object({
  requirement: RequirementSnapshot,
  buyerName: Nullable(Type.String()),
  invited: Type.Boolean(),
  status: Type.Union([Type.Literal('qualifying'), Type.Literal('near-miss')]),
  score: Nullable(Type.Number({ description: "on the scale of the requirement's ranked matches" })),
  highlights: Type.Array(Highlight, { description: 'the criteria contributing most to the score' }),
  gaps: Type.Array(Gap, { description: 'the hard constraints failed (near misses), each with its fix' }),
});
const Opportunities = Type.Object({
  supplierId: Type.String(),
  evaluatedOn: Type.String(),
  items: Type.Array(Opportunity),
  nextCursor: Nullable(Type.String()),
});

const Localized = Type.Object({ en: Type.String(), es: Type.String() });
const Demand = Type.Array(
  Type.Object({ unit: Type.String(), amountPerMonth: Type.Number(), requirements: Type.Integer() }),
);
const Roadmap = Type.Object({
  supplierId: Type.String(),
  evaluatedOn: Type.String(),
  evaluated: Type.Integer({ description: 'open requirements visible to the supplier' }),
  qualifying: Type.Integer(),
  nearMisses: Type.Integer(),
  truncated: Type.Boolean({ description: 'more open requirements exist than one roadmap reads' }),
  demandUnit: Type.String({ description: 'the unit whose demand breaks ties between upgrades' }),
  demandBasis: Type.String({ description: 'how demand is estimated' }),
  upgrades: Type.Array(
    Type.Object({
      key: Type.String(),
      upgrade: Type.Object(
        {
          kind: Type.Union([
            Type.Literal('certificate'),
            Type.Literal('scian'),
            Type.Literal('process'),
            Type.Literal('radius'),
            Type.Literal('tier'),
            Type.Literal('size'),
          ]),
          standardId: Type.Optional(Type.String()),
          code: Type.Optional(Type.String()),
          tag: Type.Optional(Type.String()),
          tier: Type.Optional(Type.Integer()),
        },
        { description: 'what to add or change' },
      ),
      label: Localized,
      opens: Type.Object({
        alone: Type.Integer({
          description: 'requirements this upgrade alone makes the supplier qualify for',
        }),
        withOthers: Type.Integer({
          description: 'requirements it opens together with the gaps in alsoNeeded',
        }),
      }),
      demand: Type.Object({ alone: Demand, withOthers: Demand }),
      requirements: Type.Array(
        Type.Object({
          requirementId: Type.String(),
          title: Type.String(),
          alone: Type.Boolean(),
          closes: Type.Array(Gap),
          alsoNeeded: Type.Array(Gap),
        }),
      ),
    }),
    { description: 'ranked: opened alone, its demand, opened with others, its demand' },
  ),
  capacity: Type.Array(
    Type.Object({
      unit: Type.String(),
      current: Nullable(Type.Number()),
      neededToCoverAll: Type.Number(),
      requirements: Type.Array(
        Type.Object({
          requirementId: Type.String(),
          status: Type.Union([Type.Literal('candidate'), Type.Literal('near-miss')]),
          amountPerMonth: Type.Number(),
        }),
      ),
    }),
    {
      description: 'monthly capacity below the volume asked (score only: capacity never opens a requirement)',
    },
  ),
});

const Member = Type.Object({
  supplierId: Type.String(),
  name: Nullable(Type.String()),
  invited: Type.Boolean(),
  score: Type.Number(),
  highlights: Type.Array(Highlight),
  gaps: Type.Array(Gap),
});
const MembersFit = Type.Object({
  requirementId: Type.String(),
  evaluatedOn: Type.String(),
  members: Type.Integer({
    description: 'members evaluated (mandates in force with view, requirement visible)',
  }),
  fit: Type.Array(Member),
  nearFit: Type.Array(Member),
});

export function opportunityRoutes(app: HttpServer, deps: OpportunityRouteDeps): void {
  const auth = { onRequest: deps.authenticate };
  const security = [{ bearer: [] }];

  app.get(
    '/opportunities',
    {
      ...auth,
      schema: {
        tags: ['opportunities'],
        security,
        querystring: OpportunitiesQuery,
        response: { 200: Opportunities, ...Errors },
      },
    },
    async (req) => {
      const q = req.query;
      const after = q.cursor ? position(q.cursor) : undefined;
      const page = await opportunities.listOpportunities(
        deps,
        {
          limit: q.limit ?? 20,
          ...(q.supplierId ? { supplierId: q.supplierId } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(after ? { after } : {}),
        },
        contextOf(req),
      );
      return {
        supplierId: page.supplierId,
        evaluatedOn: page.evaluatedOn,
        items: page.items,
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );

  app.get(
    '/insights/upgrades',
    {
      ...auth,
      schema: {
        tags: ['opportunities'],
        security,
        querystring: RoadmapQuery,
        response: { 200: Roadmap, ...Errors },
      },
    },
    async (req) =>
      opportunities.upgradeInsights(
        deps,
        req.query.supplierId ? { supplierId: req.query.supplierId } : {},
        contextOf(req),
      ),
  );

  app.get(
    '/requirements/:requirementId/members-fit',
    {
      ...auth,
      schema: {
        tags: ['opportunities'],
        security,
        params: Type.Object({ requirementId: Uuid }),
        response: { 200: MembersFit, ...Errors },
      },
    },
    async (req) => opportunities.membersFit(deps, req.params.requirementId, contextOf(req)),
  );
}
