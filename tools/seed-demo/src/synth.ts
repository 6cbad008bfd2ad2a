/**
 * Deterministic synthetic data for one supplier: everything the RETC file lacks (size, capacity, processes,
 * materials, tiers, certificates, track record), fitted to its SCIAN class and drawn from a PRNG seeded by the
 * razón social, so every run generates the same values.
 */
import { listProcessTags, processTag } from '@vinculo/taxonomy';
import type {
  CapacityUnitId,
  FunctionalStageId,
  NewCertificate,
  SupplierProfileInput,
  SyntheticField,
  Tier,
  TierIndustry,
  TrackRecordInput,
} from '@vinculo/sdk';
import type { SupplierGroup } from './data.js';
import { rngFor, type Rng } from './prng.js';

export const SYNTHETIC_PROFILE_FIELDS: SyntheticField[] = [
  'description',
  'processTags',
  'materials',
  'capacity',
  'employees',
  'annualSalesMxnMillions',
  'tiers',
  'functionalStage',
  'exportExperience',
  'contact',
];

const starts = (code: string, prefixes: readonly string[]): boolean =>
  prefixes.some((p) => code.startsWith(p));

const AUTOMOTIVE_OEM = ['3361', '3362'];
const AUTOMOTIVE_PARTS = ['3363'];
const AUTOMOTIVE_ISH = [
  '3261',
  '3262',
  '3315',
  '3321',
  '3323',
  '3327',
  '3328',
  '3359',
  '3344',
  '3312',
  '3313',
  '3314',
];

/** The industries a SCIAN class plausibly supplies, most likely first. */
export function industriesOf(scian: string): TierIndustry[] {
  if (starts(scian, [...AUTOMOTIVE_OEM, ...AUTOMOTIVE_PARTS])) return ['automotive'];
  if (starts(scian, ['3364'])) return ['aerospace'];
  if (starts(scian, ['3391'])) return ['medical'];
  if (starts(scian, ['334'])) return ['electronics', 'automotive'];
  if (starts(scian, ['335'])) return ['electronics', 'energy'];
  if (starts(scian, AUTOMOTIVE_ISH)) return ['automotive', 'other'];
  if (starts(scian, ['311', '312'])) return ['food'];
  if (starts(scian, ['211', '213', '221', '324', '2371'])) return ['energy'];
  if (starts(scian, ['48', '49'])) return ['logistics'];
  if (starts(scian, ['51', '5415'])) return ['information-technology'];
  return ['other'];
}

const MATERIALS: Array<[string[], string[]]> = [
  [
    ['331', '332', '333', '3363', '3364'],
    ['acero al carbón', 'acero inoxidable', 'aluminio', 'latón', 'cobre', 'hierro gris'],
  ],
  [['3261'], ['polipropileno', 'ABS', 'nylon 6/6', 'policarbonato', 'PVC', 'polietileno de alta densidad']],
  [['3262'], ['hule natural', 'EPDM', 'silicón', 'neopreno']],
  [
    ['334', '335'],
    ['FR-4', 'cobre', 'estaño sin plomo', 'resina epóxica'],
  ],
  [['325'], ['solventes', 'resinas', 'ácidos inorgánicos', 'pigmentos']],
  [['327'], ['vidrio', 'cemento', 'arcilla', 'cerámica']],
  [['322'], ['cartón corrugado', 'papel kraft']],
  [['311', '312'], ['grado alimenticio']],
  [
    ['313', '314', '315'],
    ['algodón', 'poliéster', 'nylon'],
  ],
];

function capacityUnitOf(scian: string): CapacityUnitId {
  if (starts(scian, ['311', '312', '322', '324', '325', '327', '331', '211', '212']))
    return 'tonnes-per-month';
  if (starts(scian, ['313', '314', '323'])) return 'm2-per-month';
  if (starts(scian, ['54', '56', '81', '5415', '22', '23', '48', '49'])) return 'machine-hours-per-month';
  return 'units-per-month';
}

const STAGES: FunctionalStageId[] = ['CM', 'CM', 'CM', 'CDM', 'ODM', 'OEM'];
const MARKETS = ['US', 'US', 'US', 'CA', 'DE', 'JP', 'KR', 'CN', 'BR', 'GT', 'CO', 'ES', 'FR'];

export interface BuyerRef {
  id: string;
  name: string;
  industry: TierIndustry;
}

export interface SyntheticSupplier {
  profile: SupplierProfileInput;
  trackRecord: TrackRecordInput[];
  certificates: Array<NewCertificate & { pdf: { lines: string[]; title: string } }>;
  employees: number;
}

const ISSUERS = [
  'Certificadora Demo Norte',
  'Certificadora Demo Bajío',
  'Organismo Demo de Certificación',
  'Registro Demo de Calidad',
];

const pad = (n: number): string => String(n).padStart(2, '0');

export function synthesize(
  group: SupplierGroup,
  ownerEmail: string,
  buyers: readonly BuyerRef[],
  /** The seeding day (YYYY-MM-DD): certificates are dated back from it, so a demo seeded any year is current. */
  today: string = new Date().toISOString().slice(0, 10),
): SyntheticSupplier {
  const rng = rngFor(group.key);
  const main = group.establishments[0]!;
  const codes = [...new Set(group.establishments.map((e) => e.scian))].slice(0, 50);
  const mapped = codes.filter((c) => group.establishments.every((e) => e.scian !== c || e.scianMapped));
  const industries = industriesOf(main.scian);
  const manufacturing = /^3[1-3]/.test(main.scian);

  // Size: heavier for vehicle makers and multi-plant groups.
  const big = starts(main.scian, AUTOMOTIVE_OEM) || group.establishments.length >= 3;
  const employees = Math.round(rng.logUniform(big ? 250 : 6, big ? 6000 : 900));
  const sales = Math.round(employees * rng.logUniform(0.6, 4) * 10) / 10;

  const candidates = listProcessTags().filter((t) => t.scianPrefixes.some((p) => main.scian.startsWith(p)));
  const tags = rng
    .sample(candidates, rng.int(1, Math.min(3, Math.max(1, candidates.length))))
    .map((t) => t.id);
  const materialPool = MATERIALS.find(([p]) => starts(main.scian, p))?.[1] ?? [];
  const materials = rng.sample(materialPool, rng.int(1, 3));

  const unit = capacityUnitOf(main.scian);
  const amount =
    unit === 'tonnes-per-month'
      ? Math.round(rng.logUniform(20, 20000))
      : unit === 'm2-per-month'
        ? Math.round(rng.logUniform(2000, 500000))
        : unit === 'machine-hours-per-month'
          ? Math.round(rng.logUniform(200, 20000))
          : Math.round(rng.logUniform(1000, 2_000_000) / 100) * 100;
  const capacity = {
    unit,
    amountPerMonth: amount,
    leadTimeDays: rng.int(5, 60),
    largestPartMm: unit === 'units-per-month' ? Math.round(rng.logUniform(30, 3000)) : null,
  };

  const tiers: Tier[] = [];
  for (const industry of industries) {
    if (industry === 'other') continue;
    const tier = starts(main.scian, AUTOMOTIVE_OEM)
      ? 1
      : starts(main.scian, AUTOMOTIVE_PARTS)
        ? rng.int(1, 2)
        : rng.int(2, 3);
    if (tiers.length === 0 || rng.chance(0.4)) tiers.push({ industry, tier });
  }
  const functionalStage: FunctionalStageId = starts(main.scian, AUTOMOTIVE_OEM) ? 'OEM' : rng.pick(STAGES);
  const exports = manufacturing ? rng.chance(0.45) : rng.chance(0.1);
  const markets = exports ? [...new Set(rng.sample(MARKETS, rng.int(1, 3)))] : [];

  const tagsEs = tags.map((t) => processTag(t)?.es ?? t);
  const tagsEn = tags.map((t) => processTag(t)?.en ?? t);
  const states = [
    ...new Set(group.establishments.map((e) => e.stateName).filter((s): s is string => s !== null)),
  ];
  const plants = group.establishments.length;
  const es =
    `${main.scianTitle} (SCIAN ${main.scian}).` +
    (tagsEs.length ? ` Procesos: ${tagsEs.join(', ')}.` : '') +
    (materials.length ? ` Materiales: ${materials.join(', ')}.` : '') +
    ` ${plants === 1 ? 'Una planta' : `${plants} plantas`} en ${states.join(', ') || 'México'}.` +
    ' Perfil de demostración: nombre, actividad y ubicación provienen del RETC 2022 (SEMARNAT); esta descripción, la capacidad, el tamaño, los procesos y las certificaciones son sintéticos.';
  const en =
    `Mexican supplier — SCIAN ${main.scian}: ${main.scianTitle}.` +
    (tagsEn.length ? ` Processes: ${tagsEn.join(', ')}.` : '') +
    ` ${plants === 1 ? 'One plant' : `${plants} plants`} in ${states.join(', ') || 'Mexico'}.` +
    ' Demo profile: name, activity and location come from RETC 2022 (SEMARNAT); this description, capacity, size, processes and certificates are synthetic.';

  const profile: SupplierProfileInput = {
    description: { es, en },
    scianCodes: codes,
    scianMapped: mapped,
    processTags: tags,
    materials,
    capacity,
    employees,
    annualSalesMxnMillions: sales,
    tiers,
    functionalStage,
    exportExperience: { exports, markets },
    contact: { name: 'Contacto de demostración', email: ownerEmail },
    synthetic: [...SYNTHETIC_PROFILE_FIELDS],
  };

  return {
    profile,
    trackRecord: trackRecordFor(rng, group, tagsEs, industries, buyers),
    certificates: certificatesFor(rng, group, industries, today),
    employees,
  };
}

function trackRecordFor(
  rng: Rng,
  group: SupplierGroup,
  tagsEs: readonly string[],
  industries: readonly TierIndustry[],
  buyers: readonly BuyerRef[],
): TrackRecordInput[] {
  const main = group.establishments[0]!;
  const n = rng.int(0, 3);
  const out: TrackRecordInput[] = [];
  const buyer = buyers.find((b) => b.industry === industries[0]);
  for (let i = 0; i < n; i++) {
    const what = tagsEs.length ? rng.pick(tagsEs).toLowerCase() : main.scianTitle.toLowerCase();
    const year = rng.int(2018, 2024);
    const toBuyer = buyer !== undefined && i === 0 && rng.chance(0.5);
    out.push({
      title: `Proyecto ${year}-${i + 1}: ${what}`.slice(0, 300),
      description: `Proyecto de demostración (sintético): ${what} para un cliente ${toBuyer ? 'de la plataforma' : 'industrial'}.`,
      customerName: toBuyer ? buyer.name : 'Cliente industrial (sintético)',
      ...(toBuyer ? { customerOrgId: buyer.id } : {}),
      date: `${year}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`,
      ...(rng.chance(0.6)
        ? { value: { amountMinor: Math.round(rng.logUniform(150_000, 40_000_000)) * 100, currency: 'MXN' } }
        : {}),
      scianCodes: [main.scian],
      synthetic: true,
    });
  }
  return out;
}

function certificatesFor(
  rng: Rng,
  group: SupplierGroup,
  industries: readonly TierIndustry[],
  today: string,
): SyntheticSupplier['certificates'] {
  const main = group.establishments[0]!;
  const manufacturing = /^3[1-3]/.test(main.scian);
  const wanted: string[] = [];
  if (industries[0] === 'aerospace' && rng.chance(0.8)) wanted.push('as9100d');
  if (industries[0] === 'medical' && rng.chance(0.7)) wanted.push('iso-13485-2016');
  if (industries.includes('automotive') && rng.chance(0.5)) wanted.push('iatf-16949-2016');
  if (industries[0] === 'food' && rng.chance(0.3)) wanted.push('fssc-22000-v6');
  if (rng.chance(manufacturing ? 0.55 : 0.3)) wanted.push('iso-9001-2015');
  if (rng.chance(0.25)) wanted.push('iso-14001-2015');
  const chosen = wanted.slice(0, rng.int(0, 2));
  return chosen.map((standardId, i) => {
    // Issued 1–30 months before the seeding day, valid three years: every certificate is current when seeded
    // and for at least half a year after, whatever the year (fixed dates would expire the demo over time).
    const issued = new Date(`${today}T00:00:00Z`);
    issued.setUTCDate(issued.getUTCDate() - rng.int(30, 900));
    const from = issued.toISOString().slice(0, 10);
    const to = `${Number(from.slice(0, 4)) + 3}${from.slice(4) === '-02-29' ? '-02-28' : from.slice(4)}`;
    const number = `DEMO-${standardId.split('-').slice(0, 2).join('').toUpperCase()}-${group.slug.slice(-5).toUpperCase()}-${i + 1}`;
    const issuingBody = rng.pick(ISSUERS);
    return {
      standardId,
      certificateNumber: number,
      issuingBody,
      scope: `Sintético (datos de demostración): ${main.scianTitle}`.slice(0, 2000),
      validFrom: from,
      validTo: to,
      pdf: {
        title: `Certificado ${number}`,
        lines: [
          'CERTIFICADO DE DEMOSTRACION - SINTETICO',
          `Numero: ${number}`,
          `Norma: ${standardId}`,
          `Organizacion: ${group.name}`,
          `Alcance: ${main.scianTitle}`,
          `Vigencia: ${from} a ${to}`,
          `Emitido por: ${issuingBody}`,
          'Documento generado por Vinculo seed-demo. No es un certificado real.',
        ],
      },
    };
  });
}
