// Functional upgrading in the seeds runs CM → CDM → OEM → ODM → OBM: each step adds a capability (design,
// own product, own brand) on top of the previous one, so `order` is comparable.
export type FunctionalStage = 'CM' | 'CDM' | 'OEM' | 'ODM' | 'OBM';

export interface FunctionalStageInfo {
  readonly id: FunctionalStage;
  readonly order: number;
  readonly name: { readonly es: string; readonly en: string };
  readonly description: { readonly es: string; readonly en: string };
}

export const FUNCTIONAL_STAGES: readonly FunctionalStageInfo[] = [
  {
    id: 'CM',
    order: 1,
    name: { es: 'Manufactura por contrato', en: 'Contract manufacturing' },
    description: {
      es: 'Fabrica o ensambla según diseño y especificaciones del cliente',
      en: "Makes or assembles to the customer's design and specifications",
    },
  },
  {
    id: 'CDM',
    order: 2,
    name: { es: 'Diseño y manufactura por contrato', en: 'Contract design and manufacturing' },
    description: {
      es: 'Además participa en el diseño de procesos y componentes',
      en: 'Also takes part in process and component design',
    },
  },
  {
    id: 'OEM',
    order: 3,
    name: { es: 'Fabricante de equipo original', en: 'Original equipment manufacturing' },
    description: {
      es: 'Fabrica productos completos que otra empresa comercializa',
      en: 'Makes complete products that another firm sells',
    },
  },
  {
    id: 'ODM',
    order: 4,
    name: { es: 'Fabricante de diseño original', en: 'Original design manufacturing' },
    description: {
      es: 'Diseña y fabrica productos propios vendidos con la marca del cliente',
      en: "Designs and makes its own products, sold under the customer's brand",
    },
  },
  {
    id: 'OBM',
    order: 5,
    name: { es: 'Fabricante de marca propia', en: 'Original brand manufacturing' },
    description: {
      es: 'Diseña, fabrica y vende con marca propia',
      en: 'Designs, makes and sells under its own brand',
    },
  },
];

export function functionalStage(id: string): FunctionalStageInfo | undefined {
  return FUNCTIONAL_STAGES.find((s) => s.id === id.trim().toUpperCase());
}

/** Negative when `a` is an earlier stage than `b`; for sorting and "at least stage X" checks. */
export function compareFunctionalStages(a: FunctionalStage, b: FunctionalStage): number {
  return (functionalStage(a)?.order ?? 0) - (functionalStage(b)?.order ?? 0);
}
