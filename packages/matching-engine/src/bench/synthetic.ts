// Synthetic suppliers and requirements for the benchmark: seeded, with skewed distributions resembling the
// demo directory (manufacturing-heavy, industrial states, mostly SMEs). Reads the taxonomy's catalogues, so
// it lives outside the engine's pure core.
import {
  listCertificationStandards,
  listProcessTags,
  listScianClasses,
  MX_STATES,
  type ScianEntry,
} from '@vinculo/taxonomy';
import type { EngineCertificate, EngineRequirement, EngineSupplier } from '../types.js';

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function weighted<T>(r: () => number, xs: readonly (readonly [T, number])[]): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of xs) if ((x -= w) < 0) return v;
  return (xs[xs.length - 1] as readonly [T, number])[0];
}

// Where Mexican manufacturing concentrates (heavier weight) versus the rest.
const INDUSTRIAL_STATES = new Set([
  '19',
  '05',
  '08',
  '11',
  '22',
  '14',
  '15',
  '02',
  '26',
  '01',
  '24',
  '21',
  '28',
  '13',
]);
const FILLER = [
  'fabricación',
  'piezas',
  'calidad',
  'precisión',
  'manufacturing',
  'parts',
  'quality',
  'producción',
  'series',
  'prototipos',
  'ensamble',
  'automotriz',
  'aeroespacial',
  'exportación',
  'clientes',
  'entregas',
  'lean',
  'inspección',
  'tooling',
  'moldes',
  'acero',
  'aluminio',
  'plástico',
  'electrónica',
  'industrial',
];
const ISO9001 = 'iso-9001-2015';

export interface Catalogues {
  readonly manufacturing: readonly ScianEntry[];
  readonly other: readonly ScianEntry[];
  readonly states: readonly (readonly [(typeof MX_STATES)[number], number])[];
  readonly certIds: readonly string[];
}

export function catalogues(): Catalogues {
  const classes = listScianClasses();
  const manufacturing = classes.filter((c) => /^3[1-3]/.test(c.code));
  const other = classes.filter((c) => !/^3[1-3]/.test(c.code));
  const states = MX_STATES.map((s) => [s, INDUSTRIAL_STATES.has(s.code) ? 6 : 1] as const);
  const certIds = listCertificationStandards()
    .filter((s) => s.status === 'current')
    .map((s) => s.id);
  return { manufacturing, other, states, certIds };
}

function certificate(r: () => number, standardId: string): EngineCertificate {
  const year = 2022 + Math.floor(r() * 4);
  const from = `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-01`;
  return {
    standardId,
    status: weighted(r, [
      ['verified', 4],
      ['declared', 5],
      ['expired', 0.5],
      ['revoked', 0.3],
    ] as const),
    validFrom: from,
    validTo: `${year + 3}${from.slice(4)}`,
  };
}

export function syntheticSupplier(r: () => number, i: number, cat: Catalogues): EngineSupplier {
  const nCodes = weighted(r, [
    [1, 5],
    [2, 3],
    [3, 1],
  ] as const);
  const codes: ScianEntry[] = [];
  for (let k = 0; k < nCodes; k++) codes.push(pick(r, r() < 0.75 ? cat.manufacturing : cat.other));
  const tags = listProcessTags().filter((t) =>
    codes.some((c) => t.scianPrefixes.some((p) => c.code.startsWith(p))),
  );
  const processTags = [
    ...new Set(
      Array.from(
        { length: Math.floor(r() * 3) },
        () => (tags.length && r() < 0.7 ? pick(r, tags) : pick(r, listProcessTags())).id,
      ),
    ),
  ];
  const facilities = Array.from(
    {
      length: weighted(r, [
        [1, 8],
        [2, 2],
        [3, 0.5],
      ] as const),
    },
    () => {
      const s = weighted(r, cat.states);
      return {
        lat: s.centroid.lat + (r() - 0.5) * 1.4,
        lon: s.centroid.lon + (r() - 0.5) * 1.4,
        stateCode: s.code,
      };
    },
  );
  const certificates: EngineCertificate[] = [];
  if (r() < 0.55) certificates.push(certificate(r, ISO9001));
  for (
    let k = 0;
    k <
    weighted(r, [
      [0, 6],
      [1, 3],
      [2, 1],
    ] as const);
    k++
  )
    certificates.push(certificate(r, pick(r, cat.certIds)));
  const words = (n: number): string => Array.from({ length: n }, () => pick(r, FILLER)).join(' ');
  const trackRecord = Array.from(
    {
      length: weighted(r, [
        [0, 3],
        [1, 3],
        [2, 2],
        [4, 1],
        [8, 0.3],
      ] as const),
    },
    () => {
      const c = pick(r, codes);
      return {
        title: `${c.title} ${words(3)}`,
        description: words(8),
        customerName: `Cliente ${Math.floor(r() * 2000)}`,
        date: `${2018 + Math.floor(r() * 8)}-0${1 + Math.floor(r() * 9)}-15`,
        value: Math.round(r() * 5e6),
        scianCodes: [c.code],
      };
    },
  );
  const tier = weighted(r, [
    [0, 4],
    [1, 0.5],
    [2, 2],
    [3, 2.5],
    [4, 1],
  ] as const);
  return {
    id: `s${String(i).padStart(7, '0')}`,
    name: `Proveedor ${i} ${pick(r, FILLER)} S.A. de C.V.`,
    descriptions: [`${codes.map((c) => c.title).join('. ')}. ${words(12)}`],
    scianCodes: codes.map((c) => c.code),
    processTags,
    materials: r() < 0.5 ? [pick(r, ['acero', 'aluminio', 'plástico', 'cobre', 'resinas'])] : [],
    facilities,
    capacity:
      r() < 0.6 ? { unit: 'units-per-month', amountPerMonth: Math.round(1000 * 10 ** (r() * 3)) } : null,
    sizeClass: weighted(r, [
      ['micro', 4],
      ['small', 3],
      ['medium', 2],
      ['large', 1],
    ] as const),
    tiers: tier ? [{ industry: 'automotive', tier }] : [],
    certificates,
    trackRecord,
  };
}

/** 80 % typical (a class or a process, a certificate, often a radius or tier), 20 % broad (a sector, little else). */
export function syntheticRequirement(r: () => number, cat: Catalogues): EngineRequirement {
  const c = pick(r, r() < 0.8 ? cat.manufacturing : cat.other);
  const tag = pick(r, listProcessTags());
  const s = weighted(r, cat.states).centroid;
  const base = {
    title: `${c.title} ${tag.es}`,
    description: `Buscamos proveedor de ${c.title.toLowerCase()} con ${tag.en.toLowerCase()} para producción en serie`,
    items: [{ description: `${tag.es} ${c.title}`, codes: [c.code] }],
    niceToHaveCertificates: [],
    evaluationDate: '2026-01-15',
    deadline: '2026-03-31',
    buyerName: `Cliente ${Math.floor(r() * 2000)}`,
  };
  if (r() < 0.8) {
    return {
      ...base,
      capabilities:
        r() < 0.5
          ? { scianCodes: [c.code], processTags: [] }
          : { scianCodes: [c.code.slice(0, 4)], processTags: [tag.id] },
      mustHaveCertificates: r() < 0.6 ? [{ standardId: ISO9001, verifiedOnly: r() < 0.2 }] : [],
      location: r() < 0.5 ? { lat: s.lat, lon: s.lon, radiusKm: 300 } : null,
      maxTier:
        r() < 0.3
          ? weighted(r, [
              [2, 1],
              [3, 1],
            ] as const)
          : null,
      sizePreference: r() < 0.2 ? 'prefer-sme' : null,
      volume: r() < 0.3 ? { unit: 'units-per-month', amountPerMonth: 20_000 } : null,
    };
  }
  return {
    ...base,
    title: `Manufactura ${tag.es}`,
    description: 'Proveedores de manufactura industrial, piezas y ensambles',
    capabilities: { scianCodes: r() < 0.5 ? ['33'] : [c.code.slice(0, 2)], processTags: [] },
    mustHaveCertificates: [],
  };
}
