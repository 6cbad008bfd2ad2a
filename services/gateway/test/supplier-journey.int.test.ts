/**
 * Journey 2 of DOMAIN.md through the gateway, black-box, up to "adds an ISO 9001 certificate with its PDF": an SME
 * registers, declares capabilities and a facility, adds the certificate and its document, and a buyer's English
 * search finds the Spanish profile. Problem messages follow Accept-Language.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let api: string;

beforeAll(async () => {
  stack = await startStack();
  api = `${stack.gatewayUrl}/api/registry`;
}, 45_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

const post = (token: string | undefined, body: unknown, method = 'POST', lang = 'es'): RequestInit => ({
  method,
  headers: {
    'content-type': 'application/json',
    'accept-language': lang,
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  },
  body: JSON.stringify(body),
});

async function signup(type: 'supplier' | 'buyer', name: string) {
  const res = await fetch(
    `${api}/auth/signup`,
    post(undefined, {
      email: `${randomUUID()}@example.mx`,
      password: 'una contraseña larga 123',
      name: 'Dueña',
      organization: { name, type },
    }),
  );
  expect(res.status).toBe(201);
  return (await res.json()) as { accessToken: string; organization: { id: string } };
}

describe('journey 2: an SME registers, declares what it does and proves it', () => {
  it('goes from sign-up to a certified, findable profile', async () => {
    const sme = await signup('supplier', 'Maquinados Finos del Bajío SA de CV');
    const id = sme.organization.id;

    const badCode = await fetch(
      `${api}/suppliers/${id}/profile`,
      post(
        sme.accessToken,
        {
          description: { es: 'Maquinado' },
          scianCodes: ['999999'],
          processTags: [],
          materials: [],
          tiers: [],
          exportExperience: { exports: false, markets: [] },
        },
        'PUT',
      ),
    );
    expect(badCode.status).toBe(400);
    expect(badCode.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await badCode.json()) as { code: string; title: string };
    expect(problem.code).toMatch(/^REGISTRY_/);
    expect(problem.title).toMatch(/[áéíóúñ]|no es|inválid|solicitud/i);

    const profile = await fetch(
      `${api}/suppliers/${id}/profile`,
      post(
        sme.accessToken,
        {
          description: {
            es: 'Maquinado CNC de soportes de aluminio para la industria automotriz, con control dimensional.',
          },
          scianCodes: ['332710'],
          processTags: ['cnc-machining'],
          materials: ['aluminio'],
          capacity: { unit: 'units-per-month', amountPerMonth: 8000 },
          employees: 45,
          annualSalesMxnMillions: 60,
          tiers: [{ industry: 'automotive', tier: 2 }],
          exportExperience: { exports: true, markets: ['US'] },
        },
        'PUT',
      ),
    );
    const profileBody = await profile.text();
    expect(profile.status, profileBody).toBe(200);
    expect(JSON.parse(profileBody)).toMatchObject({ sizeClass: 'small' });

    const facility = await fetch(
      `${api}/suppliers/${id}/facilities`,
      post(sme.accessToken, {
        name: 'Planta El Marqués',
        stateCode: '22',
        municipality: 'El Marqués',
        lat: 20.62,
        lon: -100.27,
      }),
    );
    expect(facility.status).toBe(201);

    const cert = await fetch(
      `${api}/suppliers/${id}/certificates`,
      post(sme.accessToken, {
        standardId: 'iso-9001-2015',
        certificateNumber: 'MX-QMS-2291',
        issuingBody: 'Organismo de certificación demo',
        validFrom: '2025-03-01',
        validTo: '2028-02-28',
      }),
    );
    expect(cert.status).toBe(201);
    const certificate = (await cert.json()) as { id: string; status: string };
    expect(certificate.status).toBe('declared');

    const pdf = new Blob(
      ['%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'],
      { type: 'application/pdf' },
    );
    const form = new FormData();
    form.append('file', pdf, 'iso9001.pdf');
    const upload = await fetch(`${api}/suppliers/${id}/certificates/${certificate.id}/document`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sme.accessToken}` },
      body: form,
    });
    expect(upload.status, await upload.clone().text()).toBeLessThan(300);

    // A buyer searching in English finds the Spanish profile, with the certificate counted.
    const buyer = await signup('buyer', 'Demo Automotriz (demo)');
    const search = await fetch(`${api}/suppliers?q=machining&certificate=iso-9001-2015&state=22`, {
      headers: { authorization: `Bearer ${buyer.accessToken}`, 'accept-language': 'en' },
    });
    expect(search.status).toBe(200);
    const found = (await search.json()) as { items: Array<{ id: string; certificates?: unknown }> };
    expect(found.items.map((i) => i.id)).toContain(id);

    // The public profile shows the certificate; the document stays private to the supplier.
    const list = await fetch(`${api}/suppliers/${id}/certificates`);
    expect(list.status).toBe(200);
    const certs = (await list.json()) as {
      items: Array<{ id: string; hasDocument: boolean; documentUrl?: string | null }>;
    };
    expect(certs.items[0]).toMatchObject({ id: certificate.id, hasDocument: true });
    expect(certs.items[0]!.documentUrl ?? null).toBeNull();
    const doc = await fetch(`${api}/suppliers/${id}/certificates/${certificate.id}/document`, {
      headers: { authorization: `Bearer ${buyer.accessToken}` },
    });
    expect(doc.status).toBe(404);
    const own = await fetch(`${api}/suppliers/${id}/certificates/${certificate.id}/document`, {
      headers: { authorization: `Bearer ${sme.accessToken}` },
    });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toContain('application/pdf');
    expect(own.headers.get('content-disposition')).toMatch(/^attachment/);
  }, 60_000);
});
