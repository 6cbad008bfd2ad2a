/**
 * Certificates of a supplier, their document, and verification requests to auditor organisations. Thin: each
 * handler calls one use case in ../domain/certificates.ts. Multipart is registered only in the upload route's
 * plugin scope, so every other route stays JSON-only.
 */
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  isAppError,
  Paginated,
  type HttpServer,
} from '@vinculo/service-kit/http';
import { certificateErrors } from '../certificates.errors.js';
import * as certs from '../domain/certificates.js';
import { checkDocument } from '../domain/documents.js';
import { contextOf } from './context.js';
import type { SupplierRouteDeps } from './deps.js';
import { Problem } from './schemas.js';

const Errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const UploadErrors = { ...Errors, 413: Problem, 415: Problem };

const Uuid = Type.String({ format: 'uuid' });
// Cursors are client-held: validate them as strictly as any input before they reach SQL.
const UuidText = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const IdCursor = Type.Object({ id: UuidText }, { additionalProperties: false });
const IsoDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD, America/Mexico_City calendar',
});
// PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
const Text = (max: number) =>
  Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$' });
const Scope = Type.String({ maxLength: 2000, pattern: '^[^\\u0000]*$' });
// Null first: with ajv's type coercion a string branch tried first would turn null into ''.
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);
const CertificateStatus = Type.Union([
  Type.Literal('declared'),
  Type.Literal('verified'),
  Type.Literal('rejected'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
]);
const RequestStatus = Type.Union([
  Type.Literal('requested'),
  Type.Literal('verified'),
  Type.Literal('rejected'),
  Type.Literal('cancelled'),
]);

const SupplierParams = Type.Object({ supplierId: Uuid });
const CertificateParams = Type.Object({ supplierId: Uuid, certificateId: Uuid });
const RequestParams = Type.Object({ requestId: Uuid });

const Certificate = Type.Object({
  id: Type.String(),
  supplierId: Type.String(),
  standardId: Type.String(),
  standardName: Nullable(Type.Object({ es: Type.String(), en: Type.String() })),
  certificateNumber: Type.String(),
  issuingBody: Type.String(),
  scope: Nullable(Type.String()),
  validFrom: Type.String(),
  validTo: Type.String(),
  status: CertificateStatus,
  statusReason: Nullable(Type.String()),
  hasDocument: Type.Boolean(),
  /** Only for the supplier, bureaus with a `view` mandate and the auditors assigned to this certificate. */
  documentUrl: Type.Optional(Type.String()),
  verifiedBy: Nullable(Type.String()),
  synthetic: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const NewCertificate = Type.Object(
  {
    standardId: Type.String({
      minLength: 1,
      maxLength: 80,
      pattern: '^[^\\u0000]+$',
      description: 'id in the certification catalogue, e.g. iso-9001-2015',
    }),
    certificateNumber: Text(100),
    issuingBody: Text(200),
    scope: Type.Optional(Nullable(Scope)),
    validFrom: IsoDate,
    validTo: IsoDate,
  },
  { additionalProperties: false },
);

const CertificatePatch = Type.Object(
  {
    certificateNumber: Type.Optional(Text(100)),
    issuingBody: Type.Optional(Text(200)),
    scope: Type.Optional(Nullable(Scope)),
    validFrom: Type.Optional(IsoDate),
    validTo: Type.Optional(IsoDate),
  },
  { additionalProperties: false, minProperties: 1 },
);

const ReasonBody = Type.Object({ reason: Text(1000) }, { additionalProperties: false });
const VerificationRequestBody = Type.Object({ auditorOrgId: Uuid }, { additionalProperties: false });

const VerificationRequest = Type.Object({
  id: Type.String(),
  certificateId: Type.String(),
  supplierId: Type.String(),
  auditorOrgId: Type.String(),
  status: RequestStatus,
  reason: Nullable(Type.String()),
  createdAt: Type.String(),
  decidedAt: Nullable(Type.String()),
});

const QueueItem = Type.Intersect([
  VerificationRequest,
  Type.Object({
    supplierName: Type.String(),
    certificate: Type.Object({
      standardId: Type.String(),
      certificateNumber: Type.String(),
      issuingBody: Type.String(),
      validFrom: Type.String(),
      validTo: Type.String(),
      status: CertificateStatus,
      documentUrl: Type.String(),
    }),
  }),
]);

const Decision = Type.Object({
  request: VerificationRequest,
  certificate: Type.Object({
    id: Type.String(),
    status: CertificateStatus,
    statusReason: Nullable(Type.String()),
    verifiedBy: Nullable(Type.String()),
  }),
});

const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
);
const QueueQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    status: Type.Optional(RequestStatus),
  },
  { additionalProperties: false },
);

const Binary = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

/**
 * What reading the upload can throw, as our problems: the size limit; the plugin's own 4xx (files, fields or
 * parts limits) as they are; anything else comes from the multipart parser (busboy: truncated body, missing
 * boundary …), which is the client's malformed body, not our failure.
 */
function uploadError(err: unknown, limit: number): unknown {
  if (isAppError(err)) return err;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE') {
    return certificateErrors.CERTIFICATE_DOCUMENT_TOO_LARGE({
      detail: { en: `At most ${limit} bytes`, es: `Como máximo ${limit} bytes` },
    });
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return err;
  return certificateErrors.CERTIFICATE_UPLOAD_MALFORMED({ cause: err });
}

const page = <T extends { items: unknown[]; next: { id: string } | null }>(p: T) => ({
  items: p.items as T['items'],
  nextCursor: p.next ? encodeCursor(p.next) : null,
});

export function certificateRoutes(app: HttpServer, deps: SupplierRouteDeps): void {
  const tags = ['certificates'];
  const security = [{ bearer: [] }];
  const auth = { onRequest: deps.authenticate };
  const withLog = (log: { warn(obj: object, msg?: string): void }): certs.CertificateDeps => ({
    ...deps,
    log,
  });

  app.get(
    '/suppliers/:supplierId/certificates',
    {
      onRequest: deps.optionalAuth,
      schema: {
        tags,
        params: SupplierParams,
        querystring: PageQuery,
        response: { 200: Paginated(Certificate), ...Errors },
      },
    },
    async (req) => {
      const after = req.query.cursor ? decodeCursor(req.query.cursor, IdCursor) : undefined;
      const p = await certs.listCertificates(
        deps,
        req.params.supplierId,
        { limit: req.query.limit ?? DEFAULT_PAGE_SIZE, ...(after ? { afterId: after.id } : {}) },
        contextOf(req),
      );
      return page(p);
    },
  );

  app.post(
    '/suppliers/:supplierId/certificates',
    {
      ...auth,
      config: { idempotent: true },
      schema: {
        tags,
        security,
        params: SupplierParams,
        body: NewCertificate,
        response: { 201: Certificate, ...Errors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await certs.createCertificate(withLog(req.log), req.params.supplierId, req.body, contextOf(req)),
        ),
  );

  app.patch(
    '/suppliers/:supplierId/certificates/:certificateId',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: CertificateParams,
        body: CertificatePatch,
        response: { 200: Certificate, ...Errors },
      },
    },
    async (req) =>
      certs.updateCertificate(
        withLog(req.log),
        req.params.supplierId,
        req.params.certificateId,
        req.body,
        contextOf(req),
      ),
  );

  app.post(
    '/suppliers/:supplierId/certificates/:certificateId/revoke',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: CertificateParams,
        body: ReasonBody,
        response: { 200: Certificate, ...Errors },
      },
    },
    async (req) =>
      certs.revokeCertificate(
        deps,
        req.params.supplierId,
        req.params.certificateId,
        req.body.reason,
        contextOf(req),
      ),
  );

  app.get(
    '/suppliers/:supplierId/certificates/:certificateId/document',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: CertificateParams,
        response: {
          200: { ...Binary, description: 'the document (application/pdf, image/png or image/jpeg)' },
          ...Errors,
        },
      },
    },
    async (req, reply) => {
      const doc = await certs.getDocument(
        deps,
        req.params.supplierId,
        req.params.certificateId,
        contextOf(req),
      );
      // Always a download with the type we sniffed and stored, never rendered inline by the browser.
      return reply
        .type(doc.mediaType)
        .header('content-disposition', `attachment; filename="${doc.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(doc.bytes);
    },
  );

  void app.register(async (scope: HttpServer) => {
    await scope.register(multipart, {
      limits: { fileSize: deps.uploadLimitBytes, files: 1, fields: 5, parts: 10 },
    });
    scope.post(
      '/suppliers/:supplierId/certificates/:certificateId/document',
      {
        ...auth,
        schema: {
          tags,
          security,
          consumes: ['multipart/form-data'],
          description: `multipart/form-data with one file field: a PDF, PNG or JPEG of at most ${deps.uploadLimitBytes} bytes (type read from the content)`,
          params: CertificateParams,
          response: { 200: Certificate, ...UploadErrors },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw certificateErrors.CERTIFICATE_NOT_MULTIPART();
        const { supplierId, certificateId } = req.params;
        const ctx = contextOf(req);
        await certs.assertCanUpload(deps, supplierId, certificateId, ctx);
        let file: Awaited<ReturnType<typeof req.file>>;
        let bytes: Buffer;
        try {
          file = await req.file();
          if (!file) throw certificateErrors.CERTIFICATE_DOCUMENT_MISSING();
          bytes = await file.toBuffer();
        } catch (err) {
          throw uploadError(err, deps.uploadLimitBytes);
        }
        const doc = await checkDocument(bytes, file.filename);
        return certs.attachDocument(deps, supplierId, certificateId, doc, ctx);
      },
    );
  });

  app.post(
    '/suppliers/:supplierId/certificates/:certificateId/verification-requests',
    {
      ...auth,
      config: { idempotent: true },
      schema: {
        tags,
        security,
        params: CertificateParams,
        body: VerificationRequestBody,
        response: { 201: VerificationRequest, ...Errors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await certs.requestVerification(
            deps,
            req.params.supplierId,
            req.params.certificateId,
            req.body.auditorOrgId,
            contextOf(req),
          ),
        ),
  );

  app.get(
    '/verification-requests',
    {
      ...auth,
      schema: { tags, security, querystring: QueueQuery, response: { 200: Paginated(QueueItem), ...Errors } },
    },
    async (req) => {
      const after = req.query.cursor ? decodeCursor(req.query.cursor, IdCursor) : undefined;
      const p = await certs.listVerificationQueue(
        deps,
        {
          limit: req.query.limit ?? DEFAULT_PAGE_SIZE,
          ...(after ? { afterId: after.id } : {}),
          ...(req.query.status ? { status: req.query.status } : {}),
        },
        contextOf(req),
      );
      return page(p);
    },
  );

  app.post(
    '/verification-requests/:requestId/verify',
    { ...auth, schema: { tags, security, params: RequestParams, response: { 200: Decision, ...Errors } } },
    async (req) =>
      certs.decideVerification(
        deps,
        req.params.requestId,
        { status: 'verified', reason: null },
        contextOf(req),
      ),
  );

  app.post(
    '/verification-requests/:requestId/reject',
    {
      ...auth,
      schema: {
        tags,
        security,
        params: RequestParams,
        body: ReasonBody,
        response: { 200: Decision, ...Errors },
      },
    },
    async (req) =>
      certs.decideVerification(
        deps,
        req.params.requestId,
        { status: 'rejected', reason: req.body.reason },
        contextOf(req),
      ),
  );
}
