/**
 * Certificates through the real app: declaration, changes and revocation with their outbox events; the document
 * upload battery (size, type sniffed from the content, empty, stored once per SHA-256); the authorization matrix
 * for the list and the document; verification by an assigned auditor; bad input never a 5xx.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnyEvent } from '@vinculo/contracts';
import { newId } from '@vinculo/service-kit/db';
import type { MandateScope } from '../src/db/schema.js';
import { bearer, signup, startRegistry, type Harness } from './harness.js';

type Account = Awaited<ReturnType<typeof signup>>;

let h: Harness;
let owner: Account;
let otherSupplier: Account;
let bureauView: Account;
let bureauNone: Account;
let bureauApply: Account;
let auditorAssigned: Account;
let auditorOther: Account;
let buyer: Account;

const LIMIT = 10 * 1024 * 1024; // buildApp's default upload limit (the harness does not override it)

async function addProfile(orgId: string) {
  await h.database.db.insertInto('supplier_profiles').values({ org_id: orgId }).execute();
}

async function addMandate(supplier: Account, bureau: Account, scopes: MandateScope[]) {
  await h.database.db
    .insertInto('mandates')
    .values({
      id: newId(),
      supplier_org_id: supplier.orgId,
      bureau_org_id: bureau.orgId,
      scopes,
      starts_on: '2020-01-01',
      commission_basis_points: 250,
    })
    .execute();
}

const certBody = (over: Record<string, unknown> = {}) => ({
  standardId: 'iso-9001-2015',
  certificateNumber: 'MX-QMS-0001',
  issuingBody: 'IMNC',
  scope: 'Maquinado CNC de piezas de aluminio',
  validFrom: '2024-01-15',
  validTo: '2027-01-14',
  ...over,
});

async function createCert(who: Account = owner, over: Record<string, unknown> = {}) {
  const res = await h.app.inject({
    method: 'POST',
    url: `/suppliers/${who.orgId}/certificates`,
    headers: bearer(who.accessToken),
    payload: certBody(over),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; status: string; version: number; hasDocument: boolean }>();
}

function multipart(file: Buffer, filename: string, contentType: string) {
  const boundary = `----vinculo${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, file, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(
  certId: string,
  file: Buffer,
  filename = 'certificado.pdf',
  contentType = 'application/pdf',
  who: Account = owner,
) {
  const body = multipart(file, filename, contentType);
  return h.app.inject({
    method: 'POST',
    url: `/suppliers/${owner.orgId}/certificates/${certId}/document`,
    headers: { ...bearer(who.accessToken), ...body.headers },
    payload: body.payload,
  });
}

async function events(aggregateId: string) {
  const rows = await h.database.db
    .selectFrom('outbox')
    .select(['type', 'payload'])
    .where('payload', '@>', JSON.stringify({ aggregate: { id: aggregateId } }) as never)
    .orderBy('seq')
    .execute();
  for (const r of rows) {
    const checked = validateAnyEvent(r.payload);
    expect(checked.ok, JSON.stringify(checked)).toBe(true);
  }
  return rows.map((r) => ({ type: r.type, data: (r.payload as { data: Record<string, unknown> }).data }));
}

// A hand-made PDF, PNG and JPEG: the smallest files whose magic numbers file-type recognises.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ff0000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.from(`ffd8ffe000104a46494600010100000100010000ffdb004300${'08'.repeat(64)}ffd9`, 'hex');

function problemOf(
  res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
  code: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ code });
}

function storedFiles(): string[] {
  const root = path.join(h.dataDir, 'documents');
  try {
    return readdirSync(root).flatMap((d) =>
      readdirSync(path.join(root, d)).filter((f) => !f.endsWith('.tmp')),
    );
  } catch {
    return [];
  }
}

beforeAll(async () => {
  h = await startRegistry({
    API_RATE_LIMIT_PER_MINUTE: '100000',
    SIGNUP_LIMIT_PER_IP: '100000',
    LOGIN_LIMIT_PER_IP: '100000',
  });
  owner = await signup(h.app, 'supplier');
  otherSupplier = await signup(h.app, 'supplier');
  bureauView = await signup(h.app, 'bureau');
  bureauNone = await signup(h.app, 'bureau');
  bureauApply = await signup(h.app, 'bureau');
  auditorAssigned = await signup(h.app, 'auditor');
  auditorOther = await signup(h.app, 'auditor');
  buyer = await signup(h.app, 'buyer');
  await addProfile(owner.orgId);
  await addProfile(otherSupplier.orgId);
  await addMandate(owner, bureauView, ['view', 'apply']);
  await addMandate(owner, bureauApply, ['apply', 'message']);
});

afterAll(async () => {
  await h?.close();
});

describe('declaring certificates', () => {
  it('declares a certificate from the catalogue, emits registry.certification.added and schedules its expiry', async () => {
    const c = await createCert();
    expect(c).toMatchObject({ status: 'declared', hasDocument: false, version: 1 });
    expect(await events(c.id)).toMatchObject([
      {
        type: 'registry.certification.added',
        data: { id: c.id, supplierId: owner.orgId, status: 'declared' },
      },
    ]);
    expect(h.scheduled).toContainEqual({ id: c.id, validTo: '2027-01-14' });
  });

  it('refuses a standard outside the catalogue and impossible or inverted dates with 400', async () => {
    const post = (over: Record<string, unknown>) =>
      h.app.inject({
        method: 'POST',
        url: `/suppliers/${owner.orgId}/certificates`,
        headers: bearer(owner.accessToken),
        payload: certBody(over),
      });
    problemOf(await post({ standardId: 'iso-99999' }), 400, 'REGISTRY_CERTIFICATE_UNKNOWN_STANDARD');
    problemOf(await post({ validFrom: '2025-02-30' }), 400, 'REGISTRY_CERTIFICATE_INVALID_DATES');
    problemOf(
      await post({ validFrom: '2026-01-01', validTo: '2025-12-31' }),
      400,
      'REGISTRY_CERTIFICATE_INVALID_DATES',
    );
    problemOf(await post({ validTo: '14/01/2027' }), 400, 'VALIDATION_FAILED');
  });

  it('answers 404 for a supplier without a profile and to other organisations, 401 anonymously', async () => {
    const noProfile = await signup(h.app, 'supplier');
    const as = (who: Account | null, orgId: string) =>
      h.app.inject({
        method: 'POST',
        url: `/suppliers/${orgId}/certificates`,
        headers: who ? bearer(who.accessToken) : {},
        payload: certBody(),
      });
    problemOf(await as(noProfile, noProfile.orgId), 404, 'REGISTRY_CERTIFICATE_SUPPLIER_NOT_FOUND');
    for (const who of [otherSupplier, bureauView, auditorAssigned, buyer]) {
      problemOf(await as(who, owner.orgId), 404, 'REGISTRY_CERTIFICATE_SUPPLIER_NOT_FOUND');
    }
    expect((await as(null, owner.orgId)).statusCode).toBe(401);
  });

  it('changes a certificate, reschedules on a new validTo, and revokes it for good', async () => {
    const c = await createCert();
    const url = `/suppliers/${owner.orgId}/certificates/${c.id}`;
    const patched = await h.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(owner.accessToken),
      payload: { validTo: '2028-01-14', scope: null },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ validTo: '2028-01-14', scope: null, version: 2 });
    expect(h.scheduled).toContainEqual({ id: c.id, validTo: '2028-01-14' });
    // The same values again change nothing: no version bump, no event.
    const same = await h.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(owner.accessToken),
      payload: { validTo: '2028-01-14' },
    });
    expect(same.json()).toMatchObject({ version: 2 });
    const revoked = await h.app.inject({
      method: 'POST',
      url: `${url}/revoke`,
      headers: bearer(owner.accessToken),
      payload: { reason: 'Cancelado por el organismo' },
    });
    expect(revoked.json()).toMatchObject({
      status: 'revoked',
      statusReason: 'Cancelado por el organismo',
      version: 3,
    });
    problemOf(
      await h.app.inject({
        method: 'PATCH',
        url,
        headers: bearer(owner.accessToken),
        payload: { issuingBody: 'Otro' },
      }),
      409,
      'REGISTRY_CERTIFICATE_REVOKED',
    );
    expect((await events(c.id)).map((e) => e.type)).toEqual([
      'registry.certification.added',
      'registry.certification.updated',
      'registry.certification.revoked',
    ]);
    problemOf(
      await h.app.inject({
        method: 'PATCH',
        url: `/suppliers/${otherSupplier.orgId}/certificates/${c.id}`,
        headers: bearer(otherSupplier.accessToken),
        payload: { issuingBody: 'X' },
      }),
      404,
      'REGISTRY_CERTIFICATE_NOT_FOUND',
    );
  });
});

describe('document upload', () => {
  it('refuses a file over the limit with 413', async () => {
    const c = await createCert();
    const big = Buffer.concat([PDF, Buffer.alloc(LIMIT + 1 - PDF.length + 10, 0x20)]);
    problemOf(await upload(c.id, big), 413, 'REGISTRY_CERTIFICATE_DOCUMENT_TOO_LARGE');
  });

  it('refuses a non-PDF renamed .pdf, and HTML disguised as a PDF, with 415 by the sniffed content', async () => {
    const c = await createCert();
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'binary'), Buffer.alloc(200, 1)]);
    problemOf(
      await upload(c.id, zip, 'certificado.pdf', 'application/pdf'),
      415,
      'REGISTRY_CERTIFICATE_DOCUMENT_TYPE_NOT_ALLOWED',
    );
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script>%PDF-1.4</body></html>');
    problemOf(
      await upload(c.id, html, 'certificado.pdf', 'application/pdf'),
      415,
      'REGISTRY_CERTIFICATE_DOCUMENT_TYPE_NOT_ALLOWED',
    );
    const gif = Buffer.from(`GIF89a${'\0'.repeat(20)}`, 'binary');
    problemOf(
      await upload(c.id, gif, 'foto.png', 'image/png'),
      415,
      'REGISTRY_CERTIFICATE_DOCUMENT_TYPE_NOT_ALLOWED',
    );
  });

  it('refuses an empty file and a form without a file with 400, and a JSON body with 415', async () => {
    const c = await createCert();
    problemOf(await upload(c.id, Buffer.alloc(0)), 400, 'REGISTRY_CERTIFICATE_DOCUMENT_EMPTY');
    const boundary = 'xyzzy';
    const onlyField = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/certificates/${c.id}/document`,
      headers: { ...bearer(owner.accessToken), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhola\r\n--${boundary}--\r\n`,
    });
    problemOf(onlyField, 400, 'REGISTRY_CERTIFICATE_DOCUMENT_MISSING');
    const json = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/certificates/${c.id}/document`,
      headers: bearer(owner.accessToken),
      payload: { file: PDF.toString('base64') },
    });
    problemOf(json, 415, 'REGISTRY_CERTIFICATE_NOT_MULTIPART');
    const octets = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/certificates/${c.id}/document`,
      headers: { ...bearer(owner.accessToken), 'content-type': 'application/pdf' },
      payload: PDF,
    });
    expect(octets.statusCode).toBe(415);
    expect(String(octets.headers['content-type'])).toContain('application/problem+json');
  });

  it('accepts a PDF, a PNG and a JPEG, and stores the same PDF once however often it is uploaded', async () => {
    const before = storedFiles().length;
    const a = await createCert();
    const b = await createCert();
    const first = await upload(a.id, PDF, 'ISO 9001 <script>.pdf');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      hasDocument: true,
      documentUrl: `/suppliers/${owner.orgId}/certificates/${a.id}/document`,
    });
    expect((await upload(b.id, PDF, 'copia.pdf')).statusCode).toBe(200);
    expect((await upload(a.id, PDF, 'ISO 9001 <script>.pdf')).statusCode).toBe(200);
    const docs = await h.database.db
      .selectFrom('documents')
      .selectAll()
      .where('media_type', '=', 'application/pdf')
      .execute();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ size_bytes: PDF.length });
    expect(storedFiles().length - before).toBe(1);

    const png = await createCert();
    expect((await upload(png.id, PNG, 'sello.png', 'image/png')).statusCode).toBe(200);
    const jpg = await createCert();
    // The declared type is ignored: the bytes are a JPEG.
    expect((await upload(jpg.id, JPEG, 'escaneo.pdf', 'application/pdf')).statusCode).toBe(200);

    const got = await h.app.inject({
      method: 'GET',
      url: `/suppliers/${owner.orgId}/certificates/${jpg.id}/document`,
      headers: bearer(owner.accessToken),
    });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['content-disposition']).toBe('attachment; filename="escaneo.jpg"');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(JPEG)).toBe(true);

    const pdf = await h.app.inject({
      method: 'GET',
      url: `/suppliers/${owner.orgId}/certificates/${a.id}/document`,
      headers: bearer(owner.accessToken),
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="ISO_9001_script_.pdf"');
    expect(pdf.rawPayload.equals(PDF)).toBe(true);
  });

  it('lets only owners and admins upload: other organisations get 404 before the file is read', async () => {
    const c = await createCert();
    problemOf(
      await upload(c.id, PDF, 'x.pdf', 'application/pdf', bureauView),
      404,
      'REGISTRY_CERTIFICATE_SUPPLIER_NOT_FOUND',
    );
    problemOf(
      await upload(c.id, PDF, 'x.pdf', 'application/pdf', otherSupplier),
      404,
      'REGISTRY_CERTIFICATE_SUPPLIER_NOT_FOUND',
    );
  });
});

describe('authorization matrix for certificates and documents', () => {
  let certId: string;
  let unassignedCertId: string;

  beforeAll(async () => {
    certId = (await createCert(owner, { certificateNumber: 'MATRIX-1' })).id;
    unassignedCertId = (await createCert(owner, { certificateNumber: 'MATRIX-2' })).id;
    expect((await upload(certId, PDF)).statusCode).toBe(200);
    expect((await upload(unassignedCertId, PNG, 'b.png', 'image/png')).statusCode).toBe(200);
    const req = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/certificates/${certId}/verification-requests`,
      headers: bearer(owner.accessToken),
      payload: { auditorOrgId: auditorAssigned.orgId },
    });
    expect(req.statusCode, req.body).toBe(201);
  });

  // caller → [list status, documentUrl on the assigned certificate, on the other one, download of each]
  const matrix: Array<[string, () => Account | null, number, boolean, boolean, number, number]> = [
    ['the owner', () => owner, 200, true, true, 200, 200],
    ['another supplier', () => otherSupplier, 200, false, false, 404, 404],
    ["a bureau with a 'view' mandate", () => bureauView, 200, true, true, 200, 200],
    ['a bureau without a mandate', () => bureauNone, 200, false, false, 404, 404],
    ["a bureau whose mandate lacks 'view'", () => bureauApply, 200, false, false, 404, 404],
    ['the auditor assigned to one certificate', () => auditorAssigned, 200, true, false, 200, 404],
    ['an unassigned auditor', () => auditorOther, 200, false, false, 404, 404],
    ['a buyer', () => buyer, 200, false, false, 404, 404],
    ['an anonymous caller', () => null, 200, false, false, 401, 401],
  ];

  it.each(matrix)('%s', async (_name, who, listStatus, urlAssigned, urlOther, docAssigned, docOther) => {
    const caller = who();
    const headers = caller ? bearer(caller.accessToken) : {};
    const list = await h.app.inject({
      method: 'GET',
      url: `/suppliers/${owner.orgId}/certificates?limit=100`,
      headers,
    });
    expect(list.statusCode).toBe(listStatus);
    const items = list.json<{
      items: Array<{ id: string; hasDocument: boolean; documentUrl?: string; certificateNumber: string }>;
    }>().items;
    const assigned = items.find((i) => i.id === certId)!;
    const other = items.find((i) => i.id === unassignedCertId)!;
    expect(assigned).toMatchObject({ hasDocument: true, certificateNumber: 'MATRIX-1' });
    expect(other.hasDocument).toBe(true);
    expect(assigned.documentUrl !== undefined).toBe(urlAssigned);
    expect(other.documentUrl !== undefined).toBe(urlOther);
    const docA = await h.app.inject({
      method: 'GET',
      url: `/suppliers/${owner.orgId}/certificates/${certId}/document`,
      headers,
    });
    const docB = await h.app.inject({
      method: 'GET',
      url: `/suppliers/${owner.orgId}/certificates/${unassignedCertId}/document`,
      headers,
    });
    expect(docA.statusCode).toBe(docAssigned);
    expect(docB.statusCode).toBe(docOther);
    for (const d of [docA, docB]) {
      if (d.statusCode !== 200)
        expect(String(d.headers['content-type'])).toContain('application/problem+json');
    }
  });

  it('answers 404 for the list of a supplier without a profile, and for a certificate of another supplier', async () => {
    expect(
      (await h.app.inject({ method: 'GET', url: `/suppliers/${buyer.orgId}/certificates` })).statusCode,
    ).toBe(404);
    const mixed = await h.app.inject({
      method: 'GET',
      url: `/suppliers/${otherSupplier.orgId}/certificates/${certId}/document`,
      headers: bearer(otherSupplier.accessToken),
    });
    expect(mixed.statusCode).toBe(404);
  });

  it('paginates the list with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { json<T>(): T } = await h.app.inject({
        method: 'GET',
        url: `/suppliers/${owner.orgId}/certificates?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      });
      const body: { items: Array<{ id: string }>; nextCursor: string | null } = res.json<{
        items: Array<{ id: string }>;
        nextCursor: string | null;
      }>();
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    const all = await h.database.db
      .selectFrom('certificates')
      .select('id')
      .where('org_id', '=', owner.orgId)
      .execute();
    expect(seen.length).toBe(all.length);
  });
});

describe('verification by an auditor', () => {
  async function ask(certId: string, auditor: string) {
    return h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/certificates/${certId}/verification-requests`,
      headers: bearer(owner.accessToken),
      payload: { auditorOrgId: auditor },
    });
  }

  it('assigns only auditor organisations, once at a time', async () => {
    const c = await createCert();
    problemOf(await ask(c.id, bureauView.orgId), 404, 'REGISTRY_CERTIFICATE_AUDITOR_NOT_FOUND');
    problemOf(await ask(c.id, newId()), 404, 'REGISTRY_CERTIFICATE_AUDITOR_NOT_FOUND');
    expect((await ask(c.id, auditorOther.orgId)).statusCode).toBe(201);
    problemOf(
      await ask(c.id, auditorOther.orgId),
      409,
      'REGISTRY_CERTIFICATE_VERIFICATION_ALREADY_REQUESTED',
    );
    const byOther = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/certificates/${c.id}/verification-requests`,
      headers: bearer(otherSupplier.accessToken),
      payload: { auditorOrgId: auditorOther.orgId },
    });
    problemOf(byOther, 404, 'REGISTRY_CERTIFICATE_SUPPLIER_NOT_FOUND');
  });

  it('verifies: the assigned auditor sees the request in its queue, decides, and registry.certification.verified is emitted', async () => {
    const c = await createCert(owner, { certificateNumber: 'VERIFY-1' });
    const req = (await ask(c.id, auditorAssigned.orgId)).json<{ id: string }>();
    const queue = await h.app.inject({
      method: 'GET',
      url: '/verification-requests?status=requested&limit=100',
      headers: bearer(auditorAssigned.accessToken),
    });
    expect(queue.statusCode).toBe(200);
    const item = queue
      .json<{
        items: Array<{ id: string; supplierName: string; certificate: { certificateNumber: string } }>;
      }>()
      .items.find((i) => i.id === req.id);
    expect(item).toMatchObject({ certificate: { certificateNumber: 'VERIFY-1' } });
    // Nobody else has it in their queue.
    const otherQueue = await h.app.inject({
      method: 'GET',
      url: '/verification-requests',
      headers: bearer(auditorOther.accessToken),
    });
    expect(otherQueue.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).not.toContain(req.id);

    for (const who of [auditorOther, owner, bureauView]) {
      const res = await h.app.inject({
        method: 'POST',
        url: `/verification-requests/${req.id}/verify`,
        headers: bearer(who.accessToken),
      });
      problemOf(res, 404, 'REGISTRY_CERTIFICATE_VERIFICATION_NOT_FOUND');
    }
    const ok = await h.app.inject({
      method: 'POST',
      url: `/verification-requests/${req.id}/verify`,
      headers: bearer(auditorAssigned.accessToken),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      request: { status: 'verified' },
      certificate: { status: 'verified', verifiedBy: auditorAssigned.orgId },
    });
    problemOf(
      await h.app.inject({
        method: 'POST',
        url: `/verification-requests/${req.id}/verify`,
        headers: bearer(auditorAssigned.accessToken),
      }),
      409,
      'REGISTRY_CERTIFICATE_VERIFICATION_DECIDED',
    );
    const evs = await events(c.id);
    expect(evs.at(-1)).toMatchObject({
      type: 'registry.certification.verified',
      data: { status: 'verified', verifiedBy: auditorAssigned.orgId },
    });

    // A changed certificate is no longer what the auditor vouched for: it is declared again.
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/suppliers/${owner.orgId}/certificates/${c.id}`,
      headers: bearer(owner.accessToken),
      payload: { certificateNumber: 'VERIFY-1-B' },
    });
    expect(patched.json()).toMatchObject({ status: 'declared', verifiedBy: null, statusReason: null });
  });

  it('rejects with a reason and emits registry.certification.rejected; an unassigned auditor gets 404', async () => {
    const c = await createCert();
    const req = (await ask(c.id, auditorAssigned.orgId)).json<{ id: string }>();
    problemOf(
      await h.app.inject({
        method: 'POST',
        url: `/verification-requests/${req.id}/reject`,
        headers: bearer(auditorOther.accessToken),
        payload: { reason: 'No' },
      }),
      404,
      'REGISTRY_CERTIFICATE_VERIFICATION_NOT_FOUND',
    );
    const res = await h.app.inject({
      method: 'POST',
      url: `/verification-requests/${req.id}/reject`,
      headers: bearer(auditorAssigned.accessToken),
      payload: { reason: 'El número no aparece en el registro del organismo' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      certificate: { status: 'rejected', statusReason: 'El número no aparece en el registro del organismo' },
    });
    expect((await events(c.id)).at(-1)).toMatchObject({
      type: 'registry.certification.rejected',
      data: { status: 'rejected' },
    });
  });

  it('paginates the queue with a cursor', async () => {
    const c = await createCert();
    const other = await createCert();
    await ask(c.id, auditorOther.orgId);
    await ask(other.id, auditorOther.orgId);
    const first = await h.app.inject({
      method: 'GET',
      url: '/verification-requests?limit=1',
      headers: bearer(auditorOther.accessToken),
    });
    const body = first.json<{ items: unknown[]; nextCursor: string | null }>();
    expect(body.items).toHaveLength(1);
    expect(body.nextCursor).not.toBeNull();
    const next = await h.app.inject({
      method: 'GET',
      url: `/verification-requests?limit=1&cursor=${body.nextCursor}`,
      headers: bearer(auditorOther.accessToken),
    });
    expect(next.statusCode).toBe(200);
    problemOf(
      await h.app.inject({
        method: 'GET',
        url: '/verification-requests?cursor=bm9wZQ',
        headers: bearer(auditorOther.accessToken),
      }),
      400,
      'INVALID_CURSOR',
    );
  });
});

describe('bad input', () => {
  const nasty = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(
      '\u0000',
      '2025-02-30',
      '9999-99-99',
      '0000-01-01',
      '2025-13-01',
      'iso-9001-2015',
      '../../etc/passwd',
      '\uD800',
    ),
  );
  const bodyArb = fc.oneof(
    fc.dictionary(
      fc.constantFrom(
        'standardId',
        'certificateNumber',
        'issuingBody',
        'scope',
        'validFrom',
        'validTo',
        'reason',
        'auditorOrgId',
        '__proto__',
        'x',
      ),
      nasty,
      { maxKeys: 7 },
    ),
    nasty,
  );

  it('never answers a 5xx to the JSON routes; every 4xx is problem+json with a code', async () => {
    const cert = await createCert();
    const routes: Array<[string, string]> = [
      ['POST', `/suppliers/${owner.orgId}/certificates`],
      ['PATCH', `/suppliers/${owner.orgId}/certificates/${cert.id}`],
      ['POST', `/suppliers/${owner.orgId}/certificates/${cert.id}/revoke`],
      ['POST', `/suppliers/${owner.orgId}/certificates/${cert.id}/verification-requests`],
      ['POST', `/suppliers/${owner.orgId}/certificates/${cert.id}/document`],
      ['POST', `/verification-requests/${newId()}/reject`],
      ['GET', `/verification-requests?cursor=%%%`],
    ];
    for (const [method, url] of routes) {
      await fc.assert(
        fc.asyncProperty(bodyArb, fc.boolean(), async (body, asOwner) => {
          const res = await h.app.inject({
            method: method as 'POST',
            url,
            headers: {
              ...bearer((asOwner ? owner : auditorAssigned).accessToken),
              'content-type': 'application/json',
            },
            payload: JSON.stringify(body),
          });
          expect(res.statusCode, `${method} ${url} ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(String(res.headers['content-type'])).toContain('application/problem+json');
            expect(res.json<{ code: string }>().code).toMatch(/^[A-Z][A-Z0-9_]+$/);
          }
        }),
        {
          numRuns: 60,
          // PostgreSQL text cannot hold NUL: these must be refused by the schemas, not by the database.
          examples: [
            [{ scope: '\u0000' }, true],
            [
              {
                certificateNumber: 'A\u0000',
                issuingBody: 'B',
                standardId: 'iso-9001-2015',
                validFrom: '2024-01-01',
                validTo: '2025-01-01',
              },
              true,
            ],
            [{ reason: 'x\u0000' }, true],
            [{ reason: 'x\u0000' }, false],
          ],
        },
      );
    }
  });

  it('never answers a 5xx to garbage multipart bodies', async () => {
    const cert = await createCert();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom('xyzzy', '', '"a b"', 'x'.repeat(80)),
        async (bytes, boundary) => {
          const res = await h.app.inject({
            method: 'POST',
            url: `/suppliers/${owner.orgId}/certificates/${cert.id}/document`,
            headers: {
              ...bearer(owner.accessToken),
              'content-type': `multipart/form-data; boundary=${boundary}`,
            },
            payload: Buffer.from(bytes),
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode >= 400)
            expect(String(res.headers['content-type'])).toContain('application/problem+json');
        },
      ),
      { numRuns: 80 },
    );
  });
});
