export type SizeClass = 'micro' | 'small' | 'medium' | 'large';
export type SizeSector = 'industry' | 'commerce' | 'services';

export interface SizeRuleRef {
  readonly id: 'mx-dof-2009';
  readonly version: string;
  readonly source: string;
}

export interface SizeBand {
  readonly sizeClass: Exclude<SizeClass, 'large'>;
  /** Inclusive employee range and annual sales (millions of MXN) the agreement publishes for the band. */
  readonly employees: readonly [number, number];
  readonly salesMxnMillions: readonly [number, number];
  /** "Tope máximo combinado": the highest score the band admits. */
  readonly topScore: number;
}

/**
 * Acuerdo por el que se establece la estratificación de las micro, pequeñas y medianas empresas
 * (Secretaría de Economía, DOF 30/06/2009). The agreement classifies by the combined score only; the employee
 * and sales ranges are published alongside for reference.
 */
export const MX_SIZE_RULE: SizeRuleRef & {
  readonly employeesWeight: number;
  readonly salesWeight: number;
  readonly bands: Readonly<Record<SizeSector, readonly SizeBand[]>>;
} = {
  id: 'mx-dof-2009',
  version: '2009-06-30',
  source:
    'Acuerdo por el que se establece la estratificación de las micro, pequeñas y medianas empresas, ' +
    'Secretaría de Economía, Diario Oficial de la Federación (DOF), 30/06/2009',
  employeesWeight: 0.1,
  salesWeight: 0.9,
  bands: {
    industry: [
      { sizeClass: 'micro', employees: [0, 10], salesMxnMillions: [0, 4], topScore: 4.6 },
      { sizeClass: 'small', employees: [11, 50], salesMxnMillions: [4.01, 100], topScore: 95 },
      { sizeClass: 'medium', employees: [51, 250], salesMxnMillions: [100.01, 250], topScore: 250 },
    ],
    commerce: [
      { sizeClass: 'micro', employees: [0, 10], salesMxnMillions: [0, 4], topScore: 4.6 },
      { sizeClass: 'small', employees: [11, 30], salesMxnMillions: [4.01, 100], topScore: 93 },
      { sizeClass: 'medium', employees: [31, 100], salesMxnMillions: [100.01, 250], topScore: 235 },
    ],
    services: [
      { sizeClass: 'micro', employees: [0, 10], salesMxnMillions: [0, 4], topScore: 4.6 },
      { sizeClass: 'small', employees: [11, 50], salesMxnMillions: [4.01, 100], topScore: 95 },
      { sizeClass: 'medium', employees: [51, 100], salesMxnMillions: [100.01, 250], topScore: 235 },
    ],
  },
};

/**
 * The agreement's three sectors from a SCIAN code (any level): manufacturing plus the primary, mining,
 * utilities and construction sectors count as industry, wholesale and retail (43, 46) as commerce.
 */
export function sizeSectorOfScian(scianCode: string): SizeSector {
  const two = /^\s*(\d\d)/.exec(scianCode)?.[1];
  if (two === undefined) throw new RangeError(`size: not a SCIAN code: ${JSON.stringify(scianCode)}`);
  const s = Number(two);
  if (s === 11 || (s >= 21 && s <= 23) || (s >= 31 && s <= 33)) return 'industry';
  if (s >= 43 && s <= 46) return 'commerce';
  return 'services';
}

export interface SizeInput {
  readonly employees: number;
  readonly annualSalesMxnMillions: number;
  readonly scianCode: string;
}

export interface SizeResult {
  readonly sizeClass: SizeClass;
  readonly score: number;
  readonly sector: SizeSector;
  readonly rule: SizeRuleRef;
}

export function classifySize(input: SizeInput): SizeResult {
  const { employees, annualSalesMxnMillions: sales } = input;
  if (!Number.isFinite(employees) || employees < 0)
    throw new RangeError(`size: bad employee count ${employees}`);
  if (!Number.isFinite(sales) || sales < 0) throw new RangeError(`size: bad annual sales ${sales}`);
  const sector = sizeSectorOfScian(input.scianCode);
  // Rounded so that e.g. 30 × 0.1 + 100 × 0.9 compares equal to the published top of 93 despite binary floats.
  const score =
    Math.round((employees * MX_SIZE_RULE.employeesWeight + sales * MX_SIZE_RULE.salesWeight) * 1e9) / 1e9;
  const band = MX_SIZE_RULE.bands[sector].find((b) => score <= b.topScore);
  return {
    sizeClass: band?.sizeClass ?? 'large',
    score,
    sector,
    rule: { id: MX_SIZE_RULE.id, version: MX_SIZE_RULE.version, source: MX_SIZE_RULE.source },
  };
}
