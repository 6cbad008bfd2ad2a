/**
 * `npm run seed:demo`: loads the demo data set into a running stack through its public API (GATEWAY_URL,
 * default http://127.0.0.1:8080), with the sdk. Re-running updates what exists and creates nothing twice.
 * See ../README.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  createClient,
  DEFAULT_GATEWAY_URL,
  isVinculoApiError,
  type Certificate,
  type FacilitySetItem,
  type SignupOrgType,
  type VinculoClient,
} from '@vinculo/sdk';
import { BUYERS } from './buyers.js';
import { loadRetc, type SupplierGroup } from './data.js';
import { minimalPdf } from './pdf.js';
import { forEachLimited } from './pool.js';
import { matchSummary, seedRequirements } from './post-requirements.js';
import { synthesize, type BuyerRef } from './synth.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DATA_FILE = join(ROOT, 'data', 'retc_2022_establecimientos_mx.csv');
const ACCOUNTS_FILE = join(ROOT, '.data', 'demo-accounts.json');
/** Refresh tokens of the demo accounts, so a re-run refreshes instead of paying a password hash per login. */
const SESSIONS_FILE = join(ROOT, '.data', 'demo-sessions.json');
const sessions: Record<string, string> = existsSync(SESSIONS_FILE)
  ? (JSON.parse(readFileSync(SESSIONS_FILE, 'utf8')) as Record<string, string>)
  : {};
const GATEWAY = (process.env.GATEWAY_URL?.trim() || DEFAULT_GATEWAY_URL).replace(/\/+$/, '');
export const DEMO_PASSWORD = 'vinculo-demo-2022';
const CONCURRENCY = Math.max(1, Number(process.env.SEED_CONCURRENCY) || 8);
/** SEED_REQUIREMENTS=0 skips the requirements step (a registry-only stack, e.g. the registry search bench). */
const SEED_REQUIREMENTS = process.env.SEED_REQUIREMENTS !== '0';
const RATE_LIMIT_HINT =
  'start the stack with `npm start -- --demo` (raised rate limits for loading demo data)';

class RateLimited extends Error {}

type Kind =
  | 'organizations'
  | 'profiles'
  | 'facilities'
  | 'trackRecord'
  | 'certificates'
  | 'documents'
  | 'mandates'
  | 'requirements';
const counts: Record<Kind, { created: number; updated: number }> = {
  organizations: { created: 0, updated: 0 },
  profiles: { created: 0, updated: 0 },
  facilities: { created: 0, updated: 0 },
  trackRecord: { created: 0, updated: 0 },
  certificates: { created: 0, updated: 0 },
  documents: { created: 0, updated: 0 },
  mandates: { created: 0, updated: 0 },
  requirements: { created: 0, updated: 0 },
};
const count = (k: Kind, created: boolean, n = 1): void => {
  counts[k][created ? 'created' : 'updated'] += n;
};

interface Account {
  type: SignupOrgType;
  name: string;
  email: string;
  orgId: string;
  client: VinculoClient;
  created: boolean;
}

const email = (slug: string): string => `demo+${slug}@vinculo.example`;

function rethrowLimited(err: unknown): never {
  if (isVinculoApiError(err) && err.status === 429)
    throw new RateLimited(`${err.code}: ${err.detail ?? err.title}`);
  throw err;
}

/** Signs up the owner and the organisation, or logs in when the account exists (409 EMAIL_TAKEN). */
async function ensureAccount(type: SignupOrgType, slug: string, orgName: string): Promise<Account> {
  const address = email(slug);
  const client = createClient({
    baseUrl: GATEWAY,
    language: 'en',
    onTokens: (t) => {
      if (t.refreshToken) sessions[address] = t.refreshToken;
    },
  });
  const cached = sessions[address];
  if (cached) {
    const r = await client.registry.refresh(cached).catch((err: unknown) => {
      if (isVinculoApiError(err) && err.status === 429) rethrowLimited(err);
      return undefined; // expired, revoked or from another database: sign up or log in below
    });
    if (r && r.organization.type === type) {
      if (r.organization.name !== orgName)
        await client.registry.updateOrganization(r.organization.id, { name: orgName });
      count('organizations', false);
      return { type, name: orgName, email: address, orgId: r.organization.id, client, created: false };
    }
  }
  try {
    const r = await client.registry.signup({
      email: address,
      password: DEMO_PASSWORD,
      name: 'Demo owner',
      organization: { name: orgName, type, country: 'MX' },
    });
    count('organizations', true);
    return { type, name: orgName, email: address, orgId: r.organization.id, client, created: true };
  } catch (err) {
    if (!(isVinculoApiError(err) && err.code === 'REGISTRY_EMAIL_TAKEN')) rethrowLimited(err);
  }
  const r = await client.registry.login({ email: address, password: DEMO_PASSWORD }).catch(rethrowLimited);
  if (r.organization.type !== type)
    throw new Error(`${address} belongs to a ${r.organization.type}, not a ${type}`);
  if (r.organization.name !== orgName)
    await client.registry.updateOrganization(r.organization.id, { name: orgName });
  count('organizations', false);
  return { type, name: orgName, email: address, orgId: r.organization.id, client, created: false };
}

const BUREAUS = [
  { slug: 'bureau-canacintra', name: 'Bolsa de Subcontratación CANACINTRA Demo', states: ['22', '11', '14'] },
  { slug: 'bureau-nuevo-leon', name: 'Bolsa de Subcontratación Nuevo León Demo', states: ['19', '05'] },
];
const AUDITOR = { slug: 'auditor-verificacion', name: 'Unidad de Verificación Demo (demo)' };
const MEMBERS_PER_BUREAU = 60;

/** Reads the RateLimit-Limit the stack answers with, to say up front whether a bulk load can pass. */
async function probeLimits(): Promise<{ apiPerMinute: number | null }> {
  const res = await fetch(`${GATEWAY}/api/registry/suppliers?limit=1`).catch((err: unknown) => {
    throw new Error(
      `cannot reach the gateway at ${GATEWAY} (${(err as Error).message}); start the stack first: npm start -- --demo`,
    );
  });
  await res.arrayBuffer();
  const limit = Number(res.headers.get('ratelimit-limit'));
  return { apiPerMinute: Number.isFinite(limit) && limit > 0 ? limit : null };
}

const seconds = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

interface Loaded {
  acc: Account;
  synth: ReturnType<typeof synthesize>;
  profile: Awaited<ReturnType<VinculoClient['suppliers']['putProfile']>>;
}

/** Most facilities one PUT of the facility set takes (the registry's limit). */
const FACILITY_SET_MAX = 500;

/** The supplier's facility set: one per establishment, keyed by its NRA (a repeated NRA: the last one wins). */
function facilitySet(group: SupplierGroup): FacilitySetItem[] {
  const byNra = new Map<string, FacilitySetItem>();
  for (const e of group.establishments) {
    byNra.set(e.nra, {
      name: e.name.slice(0, 300),
      stateCode: e.stateCode,
      municipality: e.municipality,
      lat: e.lat,
      lon: e.lon,
      industrialPark: e.industrialPark,
      externalRef: e.nra,
    });
  }
  return [...byNra.values()];
}

/**
 * Phase 1: the organisation, its profile and its whole facility set — two writes per supplier (PUT profile,
 * PUT facilities: one transaction, one version, one event), whatever the number of establishments.
 */
async function seedSupplier(group: SupplierGroup, buyers: readonly BuyerRef[]): Promise<Loaded> {
  const acc = await ensureAccount('supplier', group.slug, group.name);
  const { client, orgId } = acc;
  const synth = synthesize(group, acc.email, buyers);
  const profile = await client.suppliers.putProfile(orgId, synth.profile);
  count('profiles', acc.created);
  const set = facilitySet(group);
  if (set.length > FACILITY_SET_MAX)
    throw new Error(`${set.length} establishments: more than one facility set (${FACILITY_SET_MAX}) holds`);
  const r = await client.suppliers.replaceFacilities(orgId, set);
  count('facilities', true, r.created);
  count('facilities', false, r.updated + r.unchanged);
  return { acc, synth, profile: { ...profile, facilities: r.facilities, version: r.version } };
}

/** Phase 2: track record, certificates with their documents, mandates. */
async function seedExtras(
  group: SupplierGroup,
  { acc, synth, profile }: Loaded,
  bureauIds: ReadonlyMap<string, string>,
  membership: ReadonlyMap<string, string[]>,
): Promise<void> {
  const { client, orgId } = acc;
  const titles = new Set(profile.trackRecord.map((t) => t.title));
  for (const entry of synth.trackRecord) {
    if (titles.has(entry.title)) {
      count('trackRecord', false);
      continue;
    }
    await client.suppliers.addTrackRecord(orgId, entry);
    count('trackRecord', true);
  }
  if (synth.certificates.length > 0) {
    const existing = new Map<string, Certificate>();
    if (!acc.created)
      for (const c of (await client.certificates.list(orgId, { limit: 100 })).items)
        existing.set(c.certificateNumber, c);
    for (const { pdf, ...body } of synth.certificates) {
      let cert = existing.get(body.certificateNumber);
      count('certificates', !cert);
      cert ??= await client.certificates.create(orgId, body, {
        idempotencyKey: `seed-demo:${orgId}:${body.certificateNumber}`,
      });
      if (cert.hasDocument) {
        count('documents', false);
        continue;
      }
      await client.certificates.uploadDocument(orgId, cert.id, {
        data: minimalPdf(pdf.lines, pdf.title),
        fileName: `${body.certificateNumber}.pdf`,
      });
      count('documents', true);
    }
  }
  for (const bureauSlug of membership.get(group.key) ?? []) {
    const bureauOrgId = bureauIds.get(bureauSlug)!;
    try {
      await client.mandates.grant({
        bureauOrgId,
        scopes: ['view', 'apply', 'message'],
        commission: { basisPoints: 300, terms: 'Demostración: 3 % sobre el valor adjudicado (sintético)' },
      });
      count('mandates', true);
    } catch (err) {
      if (!(isVinculoApiError(err) && err.code === 'REGISTRY_MANDATE_ALREADY_ACTIVE')) throw err;
      count('mandates', false);
    }
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const groups = loadRetc(DATA_FILE);
  const facilities = groups.reduce((n, g) => n + g.establishments.length, 0);
  console.log(`Vínculo demo data → ${GATEWAY}`);
  console.log(
    `source: data/retc_2022_establecimientos_mx.csv (SEMARNAT RETC 2022, Libre Uso MX): ${groups.length} suppliers, ${facilities} facilities`,
  );

  const { apiPerMinute } = await probeLimits();
  if (apiPerMinute === null)
    console.log('rate limits: the gateway sent no RateLimit-Limit header; going ahead');
  else if (apiPerMinute < 100_000)
    console.log(
      `rate limits: ${apiPerMinute} requests/min per address — the stack's defaults (sign-ups 20/h per address) stop a bulk load;\n  ${RATE_LIMIT_HINT}`,
    );
  else console.log(`rate limits: raised (${apiPerMinute} requests/min per address): demo mode`);
  console.log(`loading with ${CONCURRENCY} requests in flight…`);

  const buyers: Account[] = [];
  for (const b of BUYERS) buyers.push(await ensureAccount('buyer', b.slug, b.name));
  const bureaus: Account[] = [];
  for (const b of BUREAUS) bureaus.push(await ensureAccount('bureau', b.slug, b.name));
  const auditor = await ensureAccount('auditor', AUDITOR.slug, AUDITOR.name);
  const buyerRefs: BuyerRef[] = buyers.map((b, i) => ({
    id: b.orgId,
    name: b.name,
    industry: BUYERS[i]!.industry,
  }));
  const bureauIds = new Map(BUREAUS.map((b, i) => [b.slug, bureaus[i]!.orgId]));

  // Member SMEs: manufacturers (SCIAN 31–33) with a plant in the bureau's states and fewer than 250 employees
  // (synthetic), in a fixed order given by their slug.
  const membership = new Map<string, string[]>();
  for (const b of BUREAUS) {
    const members = groups
      .filter((g) =>
        g.establishments.some(
          (e) => e.stateCode !== null && b.states.includes(e.stateCode) && /^3[1-3]/.test(e.scian),
        ),
      )
      .filter((g) => synthesize(g, '', []).employees < 250)
      .sort((x, y) => (x.slug < y.slug ? -1 : 1))
      .slice(0, MEMBERS_PER_BUREAU);
    for (const g of members) membership.set(g.key, [...(membership.get(g.key) ?? []), b.slug]);
  }

  let limited: RateLimited | undefined;
  const failures: string[] = [];
  const loaded = new Map<string, Loaded>();
  const suppliers = new Map<string, Account>();
  const phase = async (
    label: string,
    items: readonly SupplierGroup[],
    work: (g: SupplierGroup) => Promise<void>,
  ) => {
    let done = 0;
    await forEachLimited(
      items,
      CONCURRENCY,
      async (g) => {
        try {
          await work(g);
        } catch (err) {
          if (err instanceof RateLimited || (isVinculoApiError(err) && err.status === 429)) {
            limited ??= err instanceof RateLimited ? err : new RateLimited((err as Error).message);
            return;
          }
          failures.push(`${g.name}: ${(err as Error).message}`);
        }
        if (++done % 500 === 0) console.log(`  ${label}: ${done}/${items.length} (${seconds(t0)})`);
      },
      () => limited !== undefined,
    );
  };
  await phase('organisations, profiles and facilities', groups, async (g) => {
    const l = await seedSupplier(g, buyerRefs);
    loaded.set(g.key, l);
    suppliers.set(g.key, l.acc);
  });
  const facilitiesAt = seconds(t0);
  if (!limited)
    console.log(`every facility loaded in ${facilitiesAt}; now track record, certificates and mandates…`);
  if (!limited) {
    await phase(
      'track record, certificates, mandates',
      groups.filter((g) => loaded.has(g.key)),
      (g) => seedExtras(g, loaded.get(g.key)!, bureauIds, membership),
    );
  }
  // Requirements last, once the suppliers are in: opening them is what the matching demo starts from.
  let requirements: Awaited<ReturnType<typeof seedRequirements>> | undefined;
  let matchRows: Awaited<ReturnType<typeof matchSummary>> = [];
  let matchError: string | undefined;
  if (!limited && SEED_REQUIREMENTS) {
    try {
      requirements = await seedRequirements(
        BUYERS.map((b, i) => ({ slug: b.slug, orgId: buyers[i]!.orgId, client: buyers[i]!.client })),
        GATEWAY,
      );
      const c = requirements.counts;
      count('requirements', true, c.created + c.reissued);
      count('requirements', false, c.opened + c.alreadyOpen + c.leftAsIs);
    } catch (err) {
      if (err instanceof RateLimited || (isVinculoApiError(err) && err.status === 429))
        limited = err instanceof RateLimited ? err : new RateLimited((err as Error).message);
      else failures.push(`requirements: ${(err as Error).message}`);
    }
    if (requirements) {
      try {
        matchRows = await matchSummary(requirements.posted, requirements.clients);
      } catch (err) {
        matchError = (err as Error).message;
      }
    }
  }
  mkdirSync(dirname(SESSIONS_FILE), { recursive: true });
  writeFileSync(SESSIONS_FILE, `${JSON.stringify(sessions)}\n`, { mode: 0o600 });
  if (limited) {
    console.error(
      `\nstopped: the stack answered 429 Too Many Requests (${limited.message}).\n${RATE_LIMIT_HINT}, then run npm run seed:demo again.`,
    );
    process.exitCode = 2;
    return;
  }
  const elapsed = seconds(t0);

  mkdirSync(dirname(ACCOUNTS_FILE), { recursive: true });
  const entry = (a: Account) => ({ type: a.type, name: a.name, email: a.email, organizationId: a.orgId });
  writeFileSync(
    ACCOUNTS_FILE,
    `${JSON.stringify(
      {
        gateway: GATEWAY,
        password: DEMO_PASSWORD,
        note: 'Demo accounts made by npm run seed:demo; every one shares the password above.',
        accounts: [...buyers, ...bureaus, auditor].map(entry),
        suppliers: groups.flatMap((g) => {
          const a = suppliers.get(g.key);
          return a ? [{ ...entry(a), facilities: g.establishments.length }] : [];
        }),
      },
      null,
      2,
    )}\n`,
  );

  console.log(
    `\nloaded ${suppliers.size} suppliers and ${facilities} facilities in ${facilitiesAt}; everything in ${elapsed}`,
  );
  console.log(
    table([
      ['', 'created', 'updated'],
      ...(Object.keys(counts) as Kind[]).map((k) => [
        k,
        String(counts[k].created),
        String(counts[k].updated),
      ]),
    ]),
  );
  if (requirements) {
    const c = requirements.counts;
    const open = requirements.posted.filter((p) => p.state === 'open').length;
    console.log(
      `\nrequirements: ${open} of ${requirements.posted.length} demo requirements open — ${c.created} posted, ${c.reissued} posted again (the earlier one's deadline had passed), ${c.opened} drafts opened, ${c.alreadyOpen} already open, ${c.leftAsIs} left as they are (awarded, cancelled or closed by the buyer)`,
    );
    if (matchError) console.log(`matches: could not read them (${matchError})`);
    else if (matchRows.length > 0) {
      const totals = matchRows.map((m) => m.total).sort((a, b) => a - b);
      const empty = matchRows.filter((m) => m.total === 0);
      console.log(
        `matches now: candidates per open requirement min ${totals[0]}, median ${totals[Math.floor(totals.length / 2)]}, max ${totals[totals.length - 1]}; near misses on ${matchRows.filter((m) => m.nearMisses > 0).length} of ${matchRows.length}`,
      );
      if (empty.length > 0)
        console.log(
          `  ${empty.length} without candidates yet — matching may still be applying the registry's events; the matches fill in as it catches up:\n  ${empty
            .slice(0, 5)
            .map((m) => m.demo.title)
            .join('\n  ')}`,
        );
    }
  }
  if (failures.length > 0) {
    console.error(
      `\n${failures.length} failed (suppliers, or the requirements step); first ones:\n  ${failures.slice(0, 10).join('\n  ')}`,
    );
    process.exitCode = 1;
  }

  const pickSupplier = (test: (g: SupplierGroup) => boolean) => {
    const g = groups.find((x) => test(x) && suppliers.has(x.key));
    return g ? suppliers.get(g.key) : undefined;
  };
  const examples = [
    pickSupplier((g) => g.establishments.some((e) => e.scian.startsWith('3364') && e.stateCode === '22')),
    pickSupplier(
      (g) =>
        g.establishments.some((e) => e.scian.startsWith('3363') && e.stateCode === '19') &&
        membership.has(g.key),
    ),
    pickSupplier((g) => g.establishments.some((e) => e.scian.startsWith('3391'))),
  ].filter((a): a is Account => a !== undefined);
  console.log(`\nDemo accounts (password for all: ${DEMO_PASSWORD}) — sign in at ${GATEWAY}`);
  console.log(
    table([
      ['type', 'organisation', 'e-mail'],
      ...[...buyers, ...bureaus, auditor, ...examples].map((a) => [a.type, a.name, a.email]),
    ]),
  );
  console.log(
    `Every supplier owner account: ${ACCOUNTS_FILE.slice(ROOT.length + 1)} (${suppliers.size} suppliers).`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof RateLimited || (isVinculoApiError(err) && err.status === 429)) {
    console.error(
      `\nstopped: the stack answered 429 Too Many Requests.\n${RATE_LIMIT_HINT}, then run npm run seed:demo again.`,
    );
    process.exitCode = 2;
    return;
  }
  console.error(`seed:demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
