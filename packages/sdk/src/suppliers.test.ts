import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  VinculoApiError,
  createClient,
  paginate,
  type Certificate,
  type Mandate,
  type SupplierSummary,
} from './index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  body: unknown;
}

type Handler = (req: Seen, res: ServerResponse) => void;

const SUP = '0190a0a0-0000-7000-8000-0000000000aa';
const CERT = '0190a0a0-0000-7000-8000-0000000000cc';
const BUREAU = '0190a0a0-0000-7000-8000-0000000000bb';
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let handler: Handler = (_req, res) => json(res, 404, {});

function json(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}

function problem(res: ServerResponse, status: number, code: string): void {
  json(
    res,
    status,
    { type: `urn:vinculo:problem:${code}`, title: code, status, code, correlationId: 'c' },
    'application/problem+json',
  );
}

const certificate = (over: Partial<Certificate> = {}): Certificate => ({
  id: CERT,
  supplierId: SUP,
  standardId: 'iso-9001-2015',
  standardName: { es: 'ISO 9001', en: 'ISO 9001' },
  certificateNumber: 'MX-9001-1',
  issuingBody: 'Demo Cert',
  scope: null,
  validFrom: '2024-01-01',
  validTo: '2027-01-01',
  status: 'declared',
  statusReason: null,
  hasDocument: false,
  verifiedBy: null,
  synthetic: false,
  version: 1,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
  ...over,
});

const mandate = (): Mandate => ({
  id: 'm1',
  supplier: { id: SUP, name: 'Taller' },
  bureau: { id: BUREAU, name: 'Bolsa' },
  scopes: ['view'],
  startsOn: '2024-01-01',
  endsOn: null,
  commission: { basisPoints: 250, terms: null },
  status: 'active',
  inForce: true,
  endedBy: null,
  endedAt: null,
  endReason: null,
  version: 1,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
  links: { supplierProfile: null },
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        raw,
        body: isJson && raw.length ? JSON.parse(raw.toString('utf8')) : undefined,
      };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

beforeEach(() => {
  seen = [];
});

describe('suppliers', () => {
  it('puts and gets the private profile', async () => {
    handler = (req, res) => json(res, 200, { id: SUP, version: 2, echo: req.body });
    const client = createClient({ baseUrl, accessToken: 't' });
    const body = {
      scianCodes: ['332710'],
      processTags: ['cnc-machining'],
      employees: 12,
      synthetic: ['employees' as const],
    };
    await client.suppliers.putProfile(SUP, body);
    await client.suppliers.getProfile(SUP);
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['PUT', `/api/registry/suppliers/${SUP}/profile`],
      ['GET', `/api/registry/suppliers/${SUP}/profile`],
    ]);
    expect(seen[0]?.body).toEqual(body);
    expect(seen[0]?.headers.authorization).toBe('Bearer t');
  });

  it('tells a created facility (201) from one updated through its externalRef (200)', async () => {
    let n = 0;
    handler = (req, res) =>
      json(res, n++ === 0 ? 201 : 200, { id: 'f1', ...(req.body as object), address: null });
    const client = createClient({ baseUrl, accessToken: 't' });
    const input = { name: 'Planta 1', stateCode: 'Querétaro', lat: 20.6, lon: -100.4, externalRef: 'NRA1' };
    const first = await client.suppliers.addFacility(SUP, input);
    const again = await client.suppliers.addFacility(SUP, input);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(first.facility.name).toBe('Planta 1');
    expect(seen[0]?.url).toBe(`/api/registry/suppliers/${SUP}/facilities`);
    expect(seen[0]?.body).toEqual(input);
  });

  it('replaces the facility set with one PUT', async () => {
    const stored = {
      id: 'f1',
      name: 'Planta 1',
      address: null,
      stateCode: '22',
      municipality: null,
      lat: null,
      lon: null,
      industrialPark: null,
      cluster: null,
      externalRef: 'NRA1',
    };
    handler = (_req, res) =>
      json(res, 200, { facilities: [stored], created: 1, updated: 0, unchanged: 0, deleted: 2, version: 7 });
    const client = createClient({ baseUrl, accessToken: 't' });
    const set = [{ name: 'Planta 1', stateCode: 'Querétaro', externalRef: 'NRA1' }];
    const r = await client.suppliers.replaceFacilities(SUP, set);
    expect(r).toEqual({ facilities: [stored], created: 1, updated: 0, unchanged: 0, deleted: 2, version: 7 });
    expect([seen[0]?.method, seen[0]?.url]).toEqual(['PUT', `/api/registry/suppliers/${SUP}/facilities`]);
    expect(seen[0]?.body).toEqual({ facilities: set });
  });

  it('patches and deletes facilities and track-record entries', async () => {
    handler = (req, res) => {
      if (req.method === 'DELETE') {
        res.writeHead(204);
        return res.end();
      }
      return json(res, req.method === 'POST' ? 201 : 200, { id: 'x' });
    };
    const client = createClient({ baseUrl, accessToken: 't' });
    await client.suppliers.updateFacility(SUP, 'f/1', { industrialPark: 'Parque' });
    await client.suppliers.deleteFacility(SUP, 'f1');
    await client.suppliers.addTrackRecord(SUP, {
      title: 'Lote de piezas',
      synthetic: true,
      date: '2023-05-01',
    });
    await client.suppliers.deleteTrackRecord(SUP, 'e1');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `PATCH /api/registry/suppliers/${SUP}/facilities/f%2F1`,
      `DELETE /api/registry/suppliers/${SUP}/facilities/f1`,
      `POST /api/registry/suppliers/${SUP}/track-record`,
      `DELETE /api/registry/suppliers/${SUP}/track-record/e1`,
    ]);
    expect(seen[2]?.body).toEqual({ title: 'Lote de piezas', synthetic: true, date: '2023-05-01' });
  });

  it('searches anonymously with repeated and composite filters', async () => {
    handler = (_req, res) => json(res, 200, { items: [], nextCursor: null });
    const client = createClient({ baseUrl });
    await client.suppliers.search({
      scian: '3327',
      process: ['cnc-machining', 'milling'],
      certificate: 'iso-9001-2015',
      state: 'Querétaro',
      near: { lat: 20.59, lon: -100.39 },
      radiusKm: 50,
      size: 'small',
      tier: 2,
      industry: 'automotive',
      q: 'machining',
      limit: 10,
    });
    const url = new URL(seen[0]?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/api/registry/suppliers');
    expect(url.searchParams.getAll('process')).toEqual(['cnc-machining', 'milling']);
    expect(url.searchParams.getAll('size')).toEqual(['small']);
    expect(url.searchParams.get('near')).toBe('20.59,-100.39');
    expect(url.searchParams.get('state')).toBe('Querétaro');
    expect(url.searchParams.get('q')).toBe('machining');
    expect(url.searchParams.get('radiusKm')).toBe('50');
    expect(url.searchParams.get('tier')).toBe('2');
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('walks search pages with paginate, keeping the filters', async () => {
    const item = (id: string) => ({ id, name: id }) as SupplierSummary;
    handler = (req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.searchParams.get('cursor') === 'n2')
        return json(res, 200, { items: [item('b')], nextCursor: null });
      return json(res, 200, { items: [item('a')], nextCursor: 'n2' });
    };
    const client = createClient({ baseUrl });
    const ids: string[] = [];
    for await (const s of paginate((q) => client.suppliers.search({ q: 'fundición', ...q }), { limit: 1 }))
      ids.push(s.id);
    expect(ids).toEqual(['a', 'b']);
    expect(new URL(seen[1]?.url ?? '', 'http://x').searchParams.get('q')).toBe('fundición');
  });

  it('gets one public supplier', async () => {
    handler = (_req, res) => json(res, 200, { id: SUP, name: 'Taller', certificates: ['iso-9001-2015'] });
    const client = createClient({ baseUrl });
    const s = await client.suppliers.get(SUP);
    expect(s.certificates).toEqual(['iso-9001-2015']);
    expect(seen[0]?.url).toBe(`/api/registry/suppliers/${SUP}`);
  });
});

describe('certificates', () => {
  it('creates with an Idempotency-Key and lists with a page query', async () => {
    handler = (req, res) =>
      req.method === 'POST'
        ? json(res, 201, certificate())
        : json(res, 200, { items: [certificate()], nextCursor: null });
    const client = createClient({ baseUrl, accessToken: 't' });
    const body = {
      standardId: 'iso-9001-2015',
      certificateNumber: 'MX-9001-1',
      issuingBody: 'Demo Cert',
      validFrom: '2024-01-01',
      validTo: '2027-01-01',
    };
    const c = await client.certificates.create(SUP, body, { idempotencyKey: 'k-1' });
    const page = await client.certificates.list(SUP, { limit: 100 });
    expect(c.id).toBe(CERT);
    expect(page.items).toHaveLength(1);
    expect(seen[0]?.headers['idempotency-key']).toBe('k-1');
    expect(seen[0]?.body).toEqual(body);
    expect(seen[1]?.url).toBe(`/api/registry/suppliers/${SUP}/certificates?limit=100`);
  });

  it('uploads a document as multipart/form-data with one file part, and re-sends it after a refresh', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n%demo\n%%EOF\n');
    handler = (req, res) => {
      if (req.url === '/api/registry/auth/refresh') {
        return json(res, 200, {
          accessToken: 'a2',
          refreshToken: 'r2',
          tokenType: 'Bearer',
          expiresIn: 900,
          organization: { id: SUP, name: 'x', type: 'supplier', role: 'owner' },
        });
      }
      if (req.headers.authorization !== 'Bearer a2') return problem(res, 401, 'AUTH_TOKEN_EXPIRED');
      return json(res, 200, certificate({ hasDocument: true }));
    };
    const client = createClient({ baseUrl, accessToken: 'a1', refreshToken: 'r1' });
    const c = await client.certificates.uploadDocument(SUP, CERT, { data: pdf, fileName: 'iso 9001.pdf' });
    expect(c.hasDocument).toBe(true);
    const uploads = seen.filter((s) => s.url.endsWith('/document'));
    expect(uploads).toHaveLength(2);
    const last = uploads[1]!;
    expect(last.method).toBe('POST');
    expect(last.url).toBe(`/api/registry/suppliers/${SUP}/certificates/${CERT}/document`);
    const type = last.headers['content-type'] ?? '';
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    const boundary = type.split('boundary=')[1]!;
    const text = last.raw.toString('latin1');
    expect(text.startsWith(`--${boundary}\r\n`)).toBe(true);
    expect(text).toContain('Content-Disposition: form-data; name="file"; filename="iso 9001.pdf"');
    expect(text).toContain('Content-Type: application/pdf');
    expect(last.raw.includes(Buffer.from(pdf))).toBe(true);
    expect(text.trimEnd().endsWith(`--${boundary}--`)).toBe(true);
  });

  it('downloads a document with its type and file name', async () => {
    const bytes = Buffer.from('%PDF-1.4 hello');
    handler = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="cert.pdf"',
      });
      res.end(bytes);
    };
    const client = createClient({ baseUrl, accessToken: 't' });
    const doc = await client.certificates.downloadDocument(SUP, CERT);
    expect(Buffer.from(doc.bytes).equals(bytes)).toBe(true);
    expect(doc.mediaType).toBe('application/pdf');
    expect(doc.fileName).toBe('cert.pdf');
  });

  it('turns a refused download into a VinculoApiError', async () => {
    handler = (_req, res) => problem(res, 404, 'REGISTRY_CERTIFICATE_NOT_FOUND');
    const client = createClient({ baseUrl, accessToken: 't' });
    const err = (await client.certificates
      .downloadDocument(SUP, CERT)
      .catch((e: unknown) => e)) as VinculoApiError;
    expect(err).toBeInstanceOf(VinculoApiError);
    expect(err.code).toBe('REGISTRY_CERTIFICATE_NOT_FOUND');
  });

  it('updates, revokes, and runs verification requests', async () => {
    handler = (req, res) =>
      json(res, req.url.endsWith('/verification-requests') && req.method === 'POST' ? 201 : 200, {});
    const client = createClient({ baseUrl, accessToken: 't' });
    await client.certificates.update(SUP, CERT, { validTo: '2028-01-01' });
    await client.certificates.revoke(SUP, CERT, 'lost');
    await client.certificates.requestVerification(SUP, CERT, BUREAU, { idempotencyKey: 'v1' });
    await client.certificates.listVerificationRequests({ status: 'requested', limit: 5 });
    await client.certificates.verify('r1');
    await client.certificates.reject('r2', 'blurry');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `PATCH /api/registry/suppliers/${SUP}/certificates/${CERT}`,
      `POST /api/registry/suppliers/${SUP}/certificates/${CERT}/revoke`,
      `POST /api/registry/suppliers/${SUP}/certificates/${CERT}/verification-requests`,
      'GET /api/registry/verification-requests?status=requested&limit=5',
      'POST /api/registry/verification-requests/r1/verify',
      'POST /api/registry/verification-requests/r2/reject',
    ]);
    expect(seen.map((s) => s.body)).toEqual([
      { validTo: '2028-01-01' },
      { reason: 'lost' },
      { auditorOrgId: BUREAU },
      undefined,
      undefined,
      { reason: 'blurry' },
    ]);
    expect(seen[2]?.headers['idempotency-key']).toBe('v1');
  });
});

describe('mandates', () => {
  it('grants, lists, gets, updates and ends', async () => {
    handler = (req, res) =>
      req.url.startsWith('/api/registry/mandates?')
        ? json(res, 200, { items: [mandate()], nextCursor: null })
        : json(res, req.method === 'POST' && req.url === '/api/registry/mandates' ? 201 : 200, mandate());
    const client = createClient({ baseUrl, accessToken: 't' });
    const grant = {
      bureauOrgId: BUREAU,
      scopes: ['view' as const, 'apply' as const],
      commission: { basisPoints: 250 },
    };
    const m = await client.mandates.grant(grant, { idempotencyKey: 'g1' });
    const page = await client.mandates.list({ status: 'active', limit: 100 });
    await client.mandates.get('m1');
    await client.mandates.update('m1', { scopes: ['view'] });
    await client.mandates.end('m1');
    expect(m.inForce).toBe(true);
    expect(page.items[0]?.bureau.id).toBe(BUREAU);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/registry/mandates',
      'GET /api/registry/mandates?status=active&limit=100',
      'GET /api/registry/mandates/m1',
      'PATCH /api/registry/mandates/m1',
      'POST /api/registry/mandates/m1/end',
    ]);
    expect(seen[0]?.body).toEqual(grant);
    expect(seen[4]?.body).toEqual({});
  });

  it('reports an existing mandate as REGISTRY_MANDATE_ALREADY_ACTIVE', async () => {
    handler = (_req, res) => problem(res, 409, 'REGISTRY_MANDATE_ALREADY_ACTIVE');
    const client = createClient({ baseUrl, accessToken: 't' });
    const err = (await client.mandates
      .grant({ bureauOrgId: BUREAU, scopes: ['view'], commission: { basisPoints: 0 } })
      .catch((e: unknown) => e)) as VinculoApiError;
    expect(err.status).toBe(409);
    expect(err.code).toBe('REGISTRY_MANDATE_ALREADY_ACTIVE');
  });
});
