import { foldText } from './text.js';

export type CertificationKind = 'management-system' | 'process' | 'product';
export type IndustrySector =
  | 'general'
  | 'automotive'
  | 'aerospace'
  | 'medical'
  | 'electronics'
  | 'food'
  | 'energy'
  | 'logistics'
  | 'information-technology';

export interface CertificationStandard {
  /** Stable, never reused: stored on certificates and requirements. */
  readonly id: string;
  readonly family: string;
  readonly version: string;
  readonly kind: CertificationKind;
  readonly sectors: readonly IndustrySector[];
  readonly name: { readonly es: string; readonly en: string };
  /** Ids that satisfy exactly the same requirement (symmetric; satisfies() closes it both ways). */
  readonly equivalentTo: readonly string[];
  /** Ids whose requirements this one contains, so holding this satisfies them too (one way). */
  readonly includes: readonly string[];
  readonly status: 'current' | 'superseded';
  readonly supersededBy?: string;
  /** Spellings seen on certificates and RFQs, matched after folding and dropping punctuation. */
  readonly aliases: readonly string[];
}

// Superseded editions are listed so declared history can be stored, but none of them is equivalent to its
// successor: each IAF transition period has closed (ISO 9001:2008 in 2018, ISO/TS 16949 in 2018, ISO 14001:2004
// in 2018, ISO 13485:2003 in 2019, OHSAS 18001 → ISO 45001 in 2021, ISO 50001:2011 in 2021, AS9100C in 2018,
// ISO/IEC 27001:2013 on 31 Oct 2025 per IAF MD 26), so a certificate to the old edition is no longer valid
// evidence for a requirement written against the new one.
const STANDARDS: readonly CertificationStandard[] = [
  {
    id: 'iso-9001-2015',
    family: 'ISO 9001',
    version: '2015',
    kind: 'management-system',
    sectors: ['general'],
    name: {
      es: 'Sistema de gestión de la calidad ISO 9001:2015',
      en: 'ISO 9001:2015 quality management system',
    },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['ISO 9001', 'ISO 9001:2015', 'NMX-CC-9001-IMNC-2015'],
  },
  {
    id: 'iso-9001-2008',
    family: 'ISO 9001',
    version: '2008',
    kind: 'management-system',
    sectors: ['general'],
    name: { es: 'ISO 9001:2008 (sustituida)', en: 'ISO 9001:2008 (superseded)' },
    equivalentTo: [],
    includes: [],
    status: 'superseded',
    supersededBy: 'iso-9001-2015',
    aliases: ['ISO 9001:2008'],
  },
  // IATF 16949, AS9100 and AS9120 are written as ISO 9001:2015 plus sector clauses and their audits cover
  // the whole of ISO 9001, so they satisfy an ISO 9001 requirement (not the other way round).
  {
    id: 'iatf-16949-2016',
    family: 'IATF 16949',
    version: '2016',
    kind: 'management-system',
    sectors: ['automotive'],
    name: {
      es: 'IATF 16949:2016 gestión de la calidad automotriz',
      en: 'IATF 16949:2016 automotive quality management',
    },
    equivalentTo: [],
    includes: ['iso-9001-2015'],
    status: 'current',
    aliases: ['IATF 16949', 'IATF 16949:2016', 'IATF16949'],
  },
  {
    id: 'iso-ts-16949-2009',
    family: 'IATF 16949',
    version: 'ISO/TS 16949:2009',
    kind: 'management-system',
    sectors: ['automotive'],
    name: { es: 'ISO/TS 16949:2009 (sustituida)', en: 'ISO/TS 16949:2009 (superseded)' },
    equivalentTo: [],
    includes: [],
    status: 'superseded',
    supersededBy: 'iatf-16949-2016',
    aliases: ['ISO/TS 16949', 'TS 16949'],
  },
  // AS9100 (SAE, Americas), EN 9100 (ASD-STAN, Europe) and JIS Q 9100 (Japan) are one IAQG standard
  // published by three regional bodies; a certificate to any is registered in OASIS and accepted for all.
  {
    id: 'as9100d',
    family: 'AS9100',
    version: 'Rev D (2016)',
    kind: 'management-system',
    sectors: ['aerospace'],
    name: { es: 'AS9100D gestión de la calidad aeroespacial', en: 'AS9100D aerospace quality management' },
    equivalentTo: ['en-9100-2018', 'jisq-9100-2016'],
    includes: ['iso-9001-2015'],
    status: 'current',
    aliases: ['AS9100', 'AS9100D', 'AS 9100 Rev D', 'AS9100 Rev D'],
  },
  {
    id: 'en-9100-2018',
    family: 'AS9100',
    version: 'EN 9100:2018',
    kind: 'management-system',
    sectors: ['aerospace'],
    name: {
      es: 'EN 9100:2018 gestión de la calidad aeroespacial',
      en: 'EN 9100:2018 aerospace quality management',
    },
    equivalentTo: ['as9100d', 'jisq-9100-2016'],
    includes: ['iso-9001-2015'],
    status: 'current',
    aliases: ['EN 9100', 'EN 9100:2018', 'EN9100'],
  },
  {
    id: 'jisq-9100-2016',
    family: 'AS9100',
    version: 'JIS Q 9100:2016',
    kind: 'management-system',
    sectors: ['aerospace'],
    name: {
      es: 'JIS Q 9100:2016 gestión de la calidad aeroespacial',
      en: 'JIS Q 9100:2016 aerospace quality management',
    },
    equivalentTo: ['as9100d', 'en-9100-2018'],
    includes: ['iso-9001-2015'],
    status: 'current',
    aliases: ['JIS Q 9100'],
  },
  {
    id: 'as9100c',
    family: 'AS9100',
    version: 'Rev C (2009)',
    kind: 'management-system',
    sectors: ['aerospace'],
    name: { es: 'AS9100C (sustituida)', en: 'AS9100C (superseded)' },
    equivalentTo: [],
    includes: [],
    status: 'superseded',
    supersededBy: 'as9100d',
    aliases: ['AS9100C', 'AS9100 Rev C'],
  },
  {
    id: 'as9120b',
    family: 'AS9120',
    version: 'Rev B (2016)',
    kind: 'management-system',
    sectors: ['aerospace'],
    name: {
      es: 'AS9120B calidad para distribuidores aeroespaciales',
      en: 'AS9120B aerospace distributor quality management',
    },
    equivalentTo: ['en-9120-2018'],
    includes: ['iso-9001-2015'],
    status: 'current',
    aliases: ['AS9120', 'AS9120B', 'AS 9120 Rev B'],
  },
  {
    id: 'en-9120-2018',
    family: 'AS9120',
    version: 'EN 9120:2018',
    kind: 'management-system',
    sectors: ['aerospace'],
    name: { es: 'EN 9120:2018 distribuidores aeroespaciales', en: 'EN 9120:2018 aerospace distributors' },
    equivalentTo: ['as9120b'],
    includes: ['iso-9001-2015'],
    status: 'current',
    aliases: ['EN 9120', 'EN 9120:2018'],
  },
  // ISO 13485 keeps the ISO 9001:2008 structure and drops its customer-satisfaction and continual-improvement
  // clauses, so it does not satisfy an ISO 9001:2015 requirement.
  {
    id: 'iso-13485-2016',
    family: 'ISO 13485',
    version: '2016',
    kind: 'management-system',
    sectors: ['medical'],
    name: {
      es: 'ISO 13485:2016 calidad de dispositivos médicos',
      en: 'ISO 13485:2016 medical devices quality management',
    },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['ISO 13485', 'ISO 13485:2016'],
  },
  {
    id: 'iso-14001-2015',
    family: 'ISO 14001',
    version: '2015',
    kind: 'management-system',
    sectors: ['general'],
    name: { es: 'ISO 14001:2015 gestión ambiental', en: 'ISO 14001:2015 environmental management' },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['ISO 14001', 'ISO 14001:2015'],
  },
  {
    id: 'iso-14001-2004',
    family: 'ISO 14001',
    version: '2004',
    kind: 'management-system',
    sectors: ['general'],
    name: { es: 'ISO 14001:2004 (sustituida)', en: 'ISO 14001:2004 (superseded)' },
    equivalentTo: [],
    includes: [],
    status: 'superseded',
    supersededBy: 'iso-14001-2015',
    aliases: ['ISO 14001:2004'],
  },
  {
    id: 'iso-45001-2018',
    family: 'ISO 45001',
    version: '2018',
    kind: 'management-system',
    sectors: ['general'],
    name: {
      es: 'ISO 45001:2018 seguridad y salud en el trabajo',
      en: 'ISO 45001:2018 occupational health and safety management',
    },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['ISO 45001', 'ISO 45001:2018'],
  },
  {
    id: 'ohsas-18001-2007',
    family: 'ISO 45001',
    version: 'OHSAS 18001:2007',
    kind: 'management-system',
    sectors: ['general'],
    name: { es: 'OHSAS 18001:2007 (sustituida)', en: 'OHSAS 18001:2007 (superseded)' },
    equivalentTo: [],
    includes: [],
    status: 'superseded',
    supersededBy: 'iso-45001-2018',
    aliases: ['OHSAS 18001'],
  },
  {
    id: 'iso-iec-27001-2022',
    family: 'ISO/IEC 27001',
    version: '2022',
    kind: 'management-system',
    sectors: ['information-technology', 'general'],
    name: {
      es: 'ISO/IEC 27001:2022 seguridad de la información',
      en: 'ISO/IEC 27001:2022 information security management',
    },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['ISO 27001', 'ISO/IEC 27001', 'ISO 27001:2022', 'ISO/IEC 27001:2022'],
  },
  {
    id: 'iso-iec-27001-2013',
    family: 'ISO/IEC 27001',
    version: '2013',
    kind: 'management-system',
    sectors: ['information-technology', 'general'],
    name: { es: 'ISO/IEC 27001:2013 (sustituida)', en: 'ISO/IEC 27001:2013 (superseded)' },
    equivalentTo: [],
    includes: [],
    status: 'superseded',
    supersededBy: 'iso-iec-27001-2022',
    aliases: ['ISO 27001:2013', 'ISO/IEC 27001:2013'],
  },
  {
    id: 'iso-50001-2018',
    family: 'ISO 50001',
    version: '2018',
    kind: 'management-system',
    sectors: ['energy', 'general'],
    name: { es: 'ISO 50001:2018 gestión de la energía', en: 'ISO 50001:2018 energy management' },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['ISO 50001', 'ISO 50001:2018'],
  },
  {
    id: 'iso-50001-2011',
    family: 'ISO 50001',
    version: '2011',
    kind: 'management-system',
    sectors: ['energy', 'general'],
    name: { es: 'ISO 50001:2011 (sustituida)', en: 'ISO 50001:2011 (superseded)' },
    equivalentTo: [],
    includes: [],
    status: 'superseded',
    supersededBy: 'iso-50001-2018',
    aliases: ['ISO 50001:2011'],
  },
  {
    id: 'iso-22000-2018',
    family: 'ISO 22000',
    version: '2018',
    kind: 'management-system',
    sectors: ['food'],
    name: { es: 'ISO 22000:2018 inocuidad alimentaria', en: 'ISO 22000:2018 food safety management' },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['ISO 22000', 'ISO 22000:2018'],
  },
  // FSSC 22000 is ISO 22000 plus sector prerequisite programmes (ISO/TS 22002-x) and scheme requirements;
  // v6 is the only version accepted since the v5.1 transition ended in April 2025.
  {
    id: 'fssc-22000-v6',
    family: 'FSSC 22000',
    version: 'v6',
    kind: 'management-system',
    sectors: ['food'],
    name: {
      es: 'FSSC 22000 v6 certificación de inocuidad alimentaria',
      en: 'FSSC 22000 v6 food safety certification',
    },
    equivalentTo: [],
    includes: ['iso-22000-2018'],
    status: 'current',
    aliases: ['FSSC 22000', 'FSSC22000', 'FSSC 22000 v6'],
  },
  // Nadcap accredits a special process (heat treating, chemical processing, NDT, welding, coatings …) per
  // PRI commodity checklist, not a management system; its "version" is the checklist revision of each audit.
  {
    id: 'nadcap',
    family: 'Nadcap',
    version: 'PRI commodity audit criteria',
    kind: 'process',
    sectors: ['aerospace'],
    name: {
      es: 'Acreditación Nadcap de procesos especiales',
      en: 'Nadcap special-process accreditation',
    },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['NADCAP'],
  },
  {
    id: 'iso-iec-17025-2017',
    family: 'ISO/IEC 17025',
    version: '2017',
    kind: 'process',
    sectors: ['general'],
    name: {
      es: 'ISO/IEC 17025:2017 acreditación de laboratorios de ensayo y calibración',
      en: 'ISO/IEC 17025:2017 testing and calibration laboratory accreditation',
    },
    equivalentTo: [],
    includes: [],
    status: 'current',
    aliases: ['ISO 17025', 'ISO/IEC 17025', 'NMX-EC-17025-IMNC-2018'],
  },
  // C-TPAT (US CBP) and Mexico's OEA (SAT) validate the same supply-chain security criteria and are mutually
  // recognised under the 2014 US–Mexico Mutual Recognition Arrangement. They are company security
  // programmes, the nearest of the three kinds being a management system.
  {
    id: 'ctpat',
    family: 'C-TPAT/OEA',
    version: 'CBP minimum security criteria (2019)',
    kind: 'management-system',
    sectors: ['logistics', 'general'],
    name: {
      es: 'C-TPAT Asociación Aduanas-Comercio contra el Terrorismo',
      en: 'C-TPAT Customs-Trade Partnership Against Terrorism',
    },
    equivalentTo: ['oea-mx'],
    includes: [],
    status: 'current',
    aliases: ['C-TPAT', 'CTPAT'],
  },
  {
    id: 'oea-mx',
    family: 'C-TPAT/OEA',
    version: 'SAT (Reglas Generales de Comercio Exterior)',
    kind: 'management-system',
    sectors: ['logistics', 'general'],
    name: {
      es: 'Operador Económico Autorizado (OEA, México)',
      en: 'Authorised Economic Operator (OEA, Mexico)',
    },
    equivalentTo: ['ctpat'],
    includes: [],
    status: 'current',
    aliases: ['OEA', 'Operador Economico Autorizado', 'AEO Mexico'],
  },
];

const BY_ID: ReadonlyMap<string, CertificationStandard> = new Map(STANDARDS.map((s) => [s.id, s]));

function aliasKey(s: string): string {
  return foldText(s).replace(/[^a-z0-9]+/g, '');
}

const BY_ALIAS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const s of STANDARDS)
    for (const a of [s.id, ...s.aliases]) if (!m.has(aliasKey(a))) m.set(aliasKey(a), s.id);
  return m;
})();

export function certificationStandard(id: string): CertificationStandard | undefined {
  return BY_ID.get(id);
}

export function listCertificationStandards(): readonly CertificationStandard[] {
  return STANDARDS;
}

/** Resolves a free-text name such as "ISO 9001", "IATF16949" or "AS 9100 Rev D" to a standard, else undefined. */
export function findCertificationStandard(text: string): CertificationStandard | undefined {
  const id = BY_ALIAS.get(aliasKey(text));
  return id === undefined ? undefined : BY_ID.get(id);
}

/** Whether holding `heldId` meets a requirement for `requiredId`: same id, an equivalent, or one it includes. */
export function satisfies(heldId: string, requiredId: string): boolean {
  if (heldId === requiredId) return true;
  const seen = new Set<string>([heldId]);
  const queue = [heldId];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    const s = BY_ID.get(id);
    if (!s) continue;
    // equivalentTo is followed from both sides so the data need not list every pair twice.
    const next = [
      ...s.equivalentTo,
      ...s.includes,
      ...STANDARDS.filter((o) => o.equivalentTo.includes(id)).map((o) => o.id),
    ];
    for (const n of next) {
      if (n === requiredId) return true;
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}
