/**
 * A supplier's own profile (private view), facilities and declared track record. Writes: the supplier's owners
 * and admins. GET profile: whoever may see private fields (the supplier, a bureau with a `view` mandate, an
 * assigned auditor). Anyone else: 404. The public view is GET /suppliers/:id (search routes). PUT
 * /suppliers/:supplierId/facilities replaces the whole facility set at once.
 */
import { Type } from 'typebox';
import type { HttpServer } from '@vinculo/service-kit/http';
import { FUNCTIONAL_STAGES, CAPACITY_UNITS } from '@vinculo/taxonomy';
import * as suppliers from '../domain/suppliers.js';
import { PrivateProfile } from '../domain/supplier-snapshot.js';
import { contextOf } from './context.js';
import type { SupplierRouteDeps } from './deps.js';
import * as S from './schemas.js';

const Errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem };

// PostgreSQL refuses NUL in text, so no string may carry one; required texts need a visible character.
const Text = (maxLength: number) => Type.String({ maxLength, pattern: '^[^\\u0000]*$' });
const Name = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^(?![\\s\\S]*\\u0000)\\s*\\S' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Opt = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Optional(Nullable(t));
// A strict shape (format 'uuid' also admits a `urn:uuid:` prefix PostgreSQL would refuse).
const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});
const Code = Type.String({ minLength: 1, maxLength: 20, pattern: '^[^\\u0000]*$' });

const SupplierParams = Type.Object({ supplierId: Uuid });
const FacilityParams = Type.Object({ supplierId: Uuid, facilityId: Uuid });
const EntryParams = Type.Object({ supplierId: Uuid, entryId: Uuid });

const ProfileBody = Type.Object(
  {
    description: Type.Optional(
      Type.Object({ es: Opt(Text(5000)), en: Opt(Text(5000)) }, { additionalProperties: false }),
    ),
    scianCodes: Type.Array(Code, { maxItems: 50 }),
    scianMapped: Type.Optional(Type.Array(Code, { maxItems: 50 })),
    processTags: Type.Array(Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9-]+$' }), {
      maxItems: 100,
    }),
    materials: Type.Optional(Type.Array(Text(120), { maxItems: 100 })),
    capacity: Opt(
      Type.Object(
        {
          unit: Type.Union(CAPACITY_UNITS.map((u) => Type.Literal(u.id))),
          amountPerMonth: Type.Number({ minimum: 0, maximum: 1e12 }),
          leadTimeDays: Opt(Type.Integer({ minimum: 0, maximum: 3650 })),
          largestPartMm: Opt(Type.Number({ minimum: 0, maximum: 1e6 })),
        },
        { additionalProperties: false },
      ),
    ),
    employees: Opt(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    annualSalesMxnMillions: Opt(Type.Number({ minimum: 0, maximum: 1e9 })),
    tiers: Type.Optional(
      Type.Array(
        Type.Object(
          {
            industry: Type.Union(suppliers.TIER_INDUSTRIES.map((i) => Type.Literal(i))),
            tier: Type.Integer({ minimum: 1, maximum: 4 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: suppliers.TIER_INDUSTRIES.length },
      ),
    ),
    functionalStage: Opt(Type.Union(FUNCTIONAL_STAGES.map((s) => Type.Literal(s.id)))),
    exportExperience: Type.Optional(
      Type.Object(
        {
          exports: Type.Boolean(),
          markets: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z]{2}$' }), { maxItems: 250 })),
        },
        { additionalProperties: false },
      ),
    ),
    rfc: Opt(Type.String({ maxLength: 20, pattern: '^[^\\u0000]*$' })),
    contact: Type.Optional(
      Type.Object(
        {
          name: Opt(Text(200)),
          email: Opt(Type.String({ format: 'email', maxLength: 254 })),
          phone: Opt(Type.String({ maxLength: 40, pattern: '^[0-9+()\\-. ]*$' })),
        },
        { additionalProperties: false },
      ),
    ),
    synthetic: Type.Optional(
      Type.Array(Type.Union(suppliers.SYNTHETIC_FIELDS.map((f) => Type.Literal(f))), { maxItems: 20 }),
    ),
  },
  // Unknown keys (a `sizeClass`, say) are dropped: the size class is derived, never accepted.
  { additionalProperties: false },
);

const facilityFields = {
  address: Opt(Text(500)),
  stateCode: Opt(Type.String({ minLength: 1, maxLength: 60, pattern: '^[^\\u0000]*$' })),
  municipality: Opt(Text(200)),
  lat: Opt(Type.Number({ minimum: -90, maximum: 90 })),
  lon: Opt(Type.Number({ minimum: -180, maximum: 180 })),
  industrialPark: Opt(Text(200)),
  cluster: Opt(Text(200)),
  externalRef: Opt(Text(100)),
};
const FacilityBody = Type.Object({ name: Name(300), ...facilityFields }, { additionalProperties: false });
const FacilityPatchBody = Type.Object(
  { name: Type.Optional(Name(300)), ...facilityFields },
  { additionalProperties: false, minProperties: 1 },
);
const FacilityResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  address: Nullable(Type.String()),
  stateCode: Nullable(Type.String()),
  municipality: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lon: Nullable(Type.Number()),
  industrialPark: Nullable(Type.String()),
  cluster: Nullable(Type.String()),
  externalRef: Nullable(Type.String()),
});

// PUT of the whole facility set: each item a facility body, optionally naming an existing facility by id.
const FacilitySetBody = Type.Object(
  {
    facilities: Type.Array(
      Type.Object({ id: Opt(Uuid), name: Name(300), ...facilityFields }, { additionalProperties: false }),
      {
        maxItems: suppliers.MAX_FACILITY_SET,
      },
    ),
  },
  { additionalProperties: false },
);
const FacilitySetResponse = Type.Object({
  facilities: Type.Array(FacilityResponse),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  deleted: Type.Integer(),
  version: Type.Integer(),
});
// 500 facilities of long texts exceed the 1 MiB default.
const FACILITY_SET_BODY_LIMIT = 4 * 1_048_576;

const TrackRecordBody = Type.Object(
  {
    title: Name(300),
    description: Opt(Text(5000)),
    customerName: Opt(Text(300)),
    customerOrgId: Opt(Uuid),
    date: Opt(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    value: Opt(
      Type.Object(
        {
          amountMinor: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
          currency: Type.String({ pattern: '^[A-Z]{3}$' }),
        },
        { additionalProperties: false },
      ),
    ),
    scianCodes: Type.Optional(Type.Array(Code, { maxItems: 20 })),
    synthetic: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const TrackRecordResponse = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  customerName: Nullable(Type.String()),
  customerOrgId: Nullable(Type.String()),
  date: Nullable(Type.String()),
  value: Nullable(Type.Object({ amountMinor: Type.Integer(), currency: Type.String() })),
  scianCodes: Type.Array(Type.String()),
  source: Type.Literal('declared'),
});

export function supplierRoutes(app: HttpServer, deps: SupplierRouteDeps): void {
  const auth = { onRequest: deps.authenticate };
  const tags = ['suppliers'];
  const security = [{ bearer: [] }];

  app.get(
    '/suppliers/:supplierId/profile',
    {
      ...auth,
      schema: { tags, security, params: SupplierParams, response: { 200: PrivateProfile, ...Errors } },
    },
    async (req) => suppliers.getPrivateProfile(deps, req.params.supplierId, contextOf(req)),
  );

  app.put(
    '/suppliers/:supplierId/profile',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: SupplierParams,
        body: ProfileBody,
        response: { 200: PrivateProfile, ...Errors },
      },
    },
    async (req) => suppliers.putProfile(deps, req.params.supplierId, req.body, contextOf(req)),
  );

  app.post(
    '/suppliers/:supplierId/facilities',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: SupplierParams,
        body: FacilityBody,
        response: { 200: FacilityResponse, 201: FacilityResponse, ...Errors },
      },
    },
    async (req, reply) => {
      const r = await suppliers.addFacility(deps, req.params.supplierId, req.body, contextOf(req));
      return reply.code(r.created ? 201 : 200).send(r.facility);
    },
  );

  // The whole facility set in one transaction, one version and one event (ERP syncs, imports): items with an
  // id or a known externalRef rewrite that facility, others are new, unlisted ones are deleted.
  app.put(
    '/suppliers/:supplierId/facilities',
    {
      ...auth,
      bodyLimit: FACILITY_SET_BODY_LIMIT,
      schema: {
        tags,
        security,
        params: SupplierParams,
        body: FacilitySetBody,
        response: { 200: FacilitySetResponse, ...Errors },
      },
    },
    async (req) =>
      suppliers.replaceFacilities(deps, req.params.supplierId, req.body.facilities, contextOf(req)),
  );

  app.patch(
    '/suppliers/:supplierId/facilities/:facilityId',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: FacilityParams,
        body: FacilityPatchBody,
        response: { 200: FacilityResponse, ...Errors },
      },
    },
    async (req) =>
      suppliers.updateFacility(deps, req.params.supplierId, req.params.facilityId, req.body, contextOf(req)),
  );

  app.delete(
    '/suppliers/:supplierId/facilities/:facilityId',
    {
      ...auth,
      schema: { tags, security, params: FacilityParams, response: { 204: Type.Null(), ...Errors } },
    },
    async (req, reply) => {
      await suppliers.deleteFacility(deps, req.params.supplierId, req.params.facilityId, contextOf(req));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/suppliers/:supplierId/track-record',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: SupplierParams,
        body: TrackRecordBody,
        response: { 201: TrackRecordResponse, ...Errors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await suppliers.addTrackRecord(deps, req.params.supplierId, req.body, contextOf(req))),
  );

  app.delete(
    '/suppliers/:supplierId/track-record/:entryId',
    { ...auth, schema: { tags, security, params: EntryParams, response: { 204: Type.Null(), ...Errors } } },
    async (req, reply) => {
      await suppliers.deleteTrackRecord(deps, req.params.supplierId, req.params.entryId, contextOf(req));
      return reply.code(204).send(null);
    },
  );
}
