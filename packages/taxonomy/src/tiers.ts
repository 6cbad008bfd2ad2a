export type SupplierTier = 1 | 2 | 3 | 4;

export interface TierInfo {
  readonly tier: SupplierTier;
  readonly name: { readonly es: string; readonly en: string };
  readonly description: { readonly es: string; readonly en: string };
}

export const TIERS: readonly TierInfo[] = [
  {
    tier: 1,
    name: { es: 'Nivel 1', en: 'Tier 1' },
    description: { es: 'Suministra directamente al fabricante (OEM)', en: 'Supplies the OEM directly' },
  },
  {
    tier: 2,
    name: { es: 'Nivel 2', en: 'Tier 2' },
    description: { es: 'Suministra a proveedores de nivel 1', en: 'Supplies Tier 1 suppliers' },
  },
  {
    tier: 3,
    name: { es: 'Nivel 3', en: 'Tier 3' },
    description: { es: 'Suministra a proveedores de nivel 2', en: 'Supplies Tier 2 suppliers' },
  },
  {
    tier: 4,
    name: { es: 'Nivel 4', en: 'Tier 4' },
    description: {
      es: 'Materias primas y procesos básicos para niveles superiores',
      en: 'Raw materials and basic processes for higher tiers',
    },
  },
];

export function isSupplierTier(n: unknown): n is SupplierTier {
  return n === 1 || n === 2 || n === 3 || n === 4;
}

export function tierInfo(tier: SupplierTier): TierInfo {
  // Indexing by tier - 1 is safe because SupplierTier is exactly 1..4.
  return TIERS[tier - 1] as TierInfo;
}

/**
 * Whether a supplier that works at `supplierTier` can serve a request for `requestedTier`: tier 1 is closest
 * to the OEM, so a Tier 1 supplier qualifies for a Tier 2 request but not the reverse.
 */
export function tierQualifies(supplierTier: SupplierTier, requestedTier: SupplierTier): boolean {
  return supplierTier <= requestedTier;
}
