/** The demo buyer organisations: their account slugs, names and the industry each procures for. */
import type { TierIndustry } from '@vinculo/sdk';

export const BUYERS = [
  { slug: 'buyer-automotriz-bajio', name: 'Demo Automotriz Bajío (demo)', industry: 'automotive' },
  { slug: 'buyer-aeroespacial-queretaro', name: 'Demo Aeroespacial Querétaro (demo)', industry: 'aerospace' },
  { slug: 'buyer-electronica-jalisco', name: 'Demo Electrónica Jalisco (demo)', industry: 'electronics' },
  {
    slug: 'buyer-dispositivos-medicos-bc',
    name: 'Demo Dispositivos Médicos Baja California (demo)',
    industry: 'medical',
  },
] as const satisfies ReadonlyArray<{ slug: string; name: string; industry: TierIndustry }>;

export type BuyerSlug = (typeof BUYERS)[number]['slug'];
