/**
 * Supplier search and public profiles: GET /suppliers and GET /suppliers/:supplierId, open to anonymous callers
 * (optionalAuth: a bad token is still a 401). Both answer public fields only.
 */
import { SupplierFacility } from '@vinculo/contracts';
import type { HttpServer } from '@vinculo/service-kit/http';
import { Type } from 'typebox';
import * as search from '../domain/search.js';
import { PublicProfile } from '../domain/supplier-snapshot.js';
import type { SupplierRouteDeps } from './deps.js';
import * as S from './schemas.js';

const Errors = { 400: S.Problem, 401: S.Problem, 404: S.Problem };
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const SizeClass = Type.Union([
  Type.Literal('micro'),
  Type.Literal('small'),
  Type.Literal('medium'),
  Type.Literal('large'),
]);
// Repeatable or comma-separated; single values arrive as one-element arrays (query coercion).
const StringList = Type.Array(Type.String({ minLength: 1, maxLength: 400 }), { minItems: 1, maxItems: 20 });

export const SearchQuery = Type.Object(
  {
    scian: Type.Optional(
      Type.String({ pattern: '^[0-9]{2,6}$', description: 'SCIAN 2023 code or prefix (2–6 digits)' }),
    ),
    process: Type.Optional(StringList),
    certificate: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9][a-z0-9-]{0,59}$',
        description: 'certification standard id; valid certificates only',
      }),
    ),
    state: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'INEGI state code or name' }),
    ),
    near: Type.Optional(
      Type.String({ minLength: 3, maxLength: 60, description: 'lat,lon in decimal degrees' }),
    ),
    radiusKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000 })),
    size: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 8 }),
    ),
    tier: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 4, description: 'declares tier t <= this for some industry' }),
    ),
    industry: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '\\S',
        description: 'free text, Spanish or English',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: search.DEFAULT_SEARCH_LIMIT })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: search.MAX_CURSOR_LENGTH })),
  },
  { additionalProperties: false },
);

export const SupplierSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  country: Type.String(),
  description: Type.Object({ es: Nullable(Type.String()), en: Nullable(Type.String()) }),
  scianCodes: Type.Array(Type.String()),
  processTags: Type.Array(Type.String()),
  materials: Type.Array(Type.String()),
  facilities: Type.Array(SupplierFacility),
  sizeClass: Nullable(SizeClass),
  tiers: Type.Array(Type.Object({ industry: Type.String(), tier: Type.Integer() })),
  functionalStage: Nullable(Type.String()),
  certificates: Type.Array(Type.String(), { description: 'standard ids of certificates valid today' }),
  synthetic: Type.Array(Type.String()),
  relevance: Type.Optional(Type.Number()),
});

const SearchPage = Type.Object({ items: Type.Array(SupplierSummary), nextCursor: Nullable(Type.String()) });
const PublicSupplier = Type.Intersect([
  PublicProfile,
  Type.Object({ certificates: Type.Array(Type.String()) }),
]);
const SupplierParams = Type.Object({ supplierId: Type.String({ format: 'uuid' }) });

export function searchRoutes(app: HttpServer, deps: SupplierRouteDeps): void {
  const open = { onRequest: deps.optionalAuth };
  const tags = ['suppliers'];
  const security = [{}, { bearer: [] }];

  app.get(
    '/suppliers',
    {
      ...open,
      schema: { tags, security, querystring: SearchQuery, response: { 200: SearchPage, ...Errors } },
    },
    async (req) => search.searchSuppliers(deps, req.query as search.SearchQuery),
  );

  app.get(
    '/suppliers/:supplierId',
    {
      ...open,
      schema: { tags, security, params: SupplierParams, response: { 200: PublicSupplier, ...Errors } },
    },
    async (req) => search.getPublicSupplier(deps, req.params.supplierId),
  );
}
