export type CapacityUnit =
  'units-per-month' | 'kg-per-month' | 'tonnes-per-month' | 'machine-hours-per-month' | 'm2-per-month';

export interface CapacityUnitInfo {
  readonly id: CapacityUnit;
  readonly symbol: string;
  readonly name: { readonly es: string; readonly en: string };
  /** Units sharing a dimension convert by `factor` to the base unit of that dimension (kg for mass). */
  readonly dimension: 'count' | 'mass' | 'time' | 'area';
  readonly factor: number;
}

export const CAPACITY_UNITS: readonly CapacityUnitInfo[] = [
  {
    id: 'units-per-month',
    symbol: 'pzas/mes',
    name: { es: 'piezas por mes', en: 'units per month' },
    dimension: 'count',
    factor: 1,
  },
  {
    id: 'kg-per-month',
    symbol: 'kg/mes',
    name: { es: 'kilogramos por mes', en: 'kilograms per month' },
    dimension: 'mass',
    factor: 1,
  },
  {
    id: 'tonnes-per-month',
    symbol: 't/mes',
    name: { es: 'toneladas por mes', en: 'tonnes per month' },
    dimension: 'mass',
    factor: 1000,
  },
  {
    id: 'machine-hours-per-month',
    symbol: 'h-máq/mes',
    name: { es: 'horas máquina por mes', en: 'machine-hours per month' },
    dimension: 'time',
    factor: 1,
  },
  {
    id: 'm2-per-month',
    symbol: 'm²/mes',
    name: { es: 'metros cuadrados por mes', en: 'square metres per month' },
    dimension: 'area',
    factor: 1,
  },
];

export function capacityUnit(id: string): CapacityUnitInfo | undefined {
  return CAPACITY_UNITS.find((u) => u.id === id);
}

/** Converts between units of the same dimension (e.g. tonnes → kg); undefined across dimensions. */
export function convertCapacity(value: number, from: CapacityUnit, to: CapacityUnit): number | undefined {
  const a = capacityUnit(from);
  const b = capacityUnit(to);
  if (!a || !b || a.dimension !== b.dimension) return undefined;
  return (value * a.factor) / b.factor;
}
