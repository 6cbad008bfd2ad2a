/**
 * Bureau mandates: a supplier grants a subcontracting bureau the right to act for it. Who may do what is
 * decided in domain/mandates.ts; a mandate is a 404 to anyone but its two sides.
 */
import { Type } from 'typebox';
import {
  CursorQuery,
  DEFAULT_PAGE_SIZE,
  Paginated,
  decodeCursor,
  encodeCursor,
  httpErrors,
  type HttpServer,
} from '@vinculo/service-kit/http';
import { createMandateRepository } from '../db/mandates.repository.js';
import * as mandates from '../domain/mandates.js';
import { contextOf } from './context.js';
import type { SupplierRouteDeps } from './deps.js';
import * as S from './schemas.js';

const Errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem };
// Cursors are client-held: validate them as strictly as any input before they reach SQL.
const IsoTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z$' });
const UuidText = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const PageCursor = Type.Object({ createdAt: IsoTime, id: UuidText }, { additionalProperties: false });

/** The pattern admits 2024-13-45T99:99:99Z, which PostgreSQL refuses: the instant must also exist. */
function pageCursor(cursor: string) {
  const c = decodeCursor(cursor, PageCursor);
  const t = new Date(c.createdAt);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 19) !== c.createdAt.slice(0, 19))
    throw httpErrors.INVALID_CURSOR();
  return c;
}

const Uuid = Type.String({ format: 'uuid' });
const CalendarDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD, America/Mexico_City calendar',
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Scope = Type.Union([Type.Literal('view'), Type.Literal('apply'), Type.Literal('message')]);
const Scopes = Type.Array(Scope, { minItems: 1, maxItems: 3, uniqueItems: true });
const BasisPoints = Type.Integer({
  minimum: 0,
  maximum: 10_000,
  description: 'rate on awarded value: 250 = 2.5 %',
});
const Terms = Type.String({ minLength: 1, maxLength: 2000 });

const GrantBody = Type.Object(
  {
    bureauOrgId: Uuid,
    scopes: Scopes,
    startsOn: Type.Optional(CalendarDate),
    endsOn: Type.Optional(Nullable(CalendarDate)),
    commission: Type.Object(
      { basisPoints: BasisPoints, terms: Type.Optional(Nullable(Terms)) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    scopes: Type.Optional(Scopes),
    endsOn: Type.Optional(Nullable(CalendarDate)),
    commission: Type.Optional(
      Type.Object(
        { basisPoints: Type.Optional(BasisPoints), terms: Type.Optional(Nullable(Terms)) },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
const EndBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    ...CursorQuery.properties,
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('ended')])),
  },
  { additionalProperties: false },
);
const MandateParams = Type.Object({ mandateId: Uuid });

const OrgRef = Type.Object({ id: Type.String(), name: Type.String() });
const Mandate = Type.Object({
  id: Type.String(),
  supplier: OrgRef,
  bureau: OrgRef,
  scopes: Type.Array(Scope),
  startsOn: Type.String(),
  endsOn: Nullable(Type.String()),
  commission: Type.Object({ basisPoints: Type.Integer(), terms: Nullable(Type.String()) }),
  status: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  inForce: Type.Boolean({ description: 'active and started: the bureau may act within the scopes today' }),
  endedBy: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  links: Type.Object({ supplierProfile: Nullable(Type.String()) }),
});

export function mandateRoutes(app: HttpServer, deps: SupplierRouteDeps): void {
  const d: mandates.MandateDeps = {
    db: deps.db,
    writeEvent: deps.writeEvent,
    mandates: createMandateRepository(),
  };
  const auth = { onRequest: deps.authenticate };
  const tags = ['mandates'];
  const security = [{ bearer: [] }];

  app.post(
    '/mandates',
    {
      ...auth,
      config: { idempotent: true },
      schema: { tags, security, body: GrantBody, response: { 201: Mandate, ...Errors } },
    },
    async (req, reply) => reply.code(201).send(await mandates.grantMandate(d, req.body, contextOf(req))),
  );

  app.get(
    '/mandates',
    {
      ...auth,
      schema: { tags, security, querystring: ListQuery, response: { 200: Paginated(Mandate), ...Errors } },
    },
    async (req) => {
      const after = req.query.cursor ? pageCursor(req.query.cursor) : undefined;
      const page = await mandates.listMandates(
        d,
        {
          limit: req.query.limit ?? DEFAULT_PAGE_SIZE,
          ...(req.query.status ? { status: req.query.status } : {}),
          ...(after ? { after } : {}),
        },
        contextOf(req),
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    '/mandates/:mandateId',
    { ...auth, schema: { tags, security, params: MandateParams, response: { 200: Mandate, ...Errors } } },
    async (req) => mandates.getMandate(d, req.params.mandateId, contextOf(req)),
  );

  app.patch(
    '/mandates/:mandateId',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: MandateParams,
        body: PatchBody,
        response: { 200: Mandate, ...Errors },
      },
    },
    async (req) => mandates.updateMandate(d, req.params.mandateId, req.body, contextOf(req)),
  );

  app.post(
    '/mandates/:mandateId/end',
    // An empty body is fine: the reason is optional.
    {
      ...auth,
      schema: {
        tags,
        security,
        params: MandateParams,
        body: Type.Optional(EndBody),
        response: { 200: Mandate, ...Errors },
      },
    },
    async (req) => mandates.endMandate(d, req.params.mandateId, req.body ?? {}, contextOf(req)),
  );
}
