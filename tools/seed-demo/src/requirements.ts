/**
 * The demo requirements (RFQs) the demo buyers post, written as their procurement engineers would, half in
 * Spanish and half in English, over the sectors of the seeded RETC suppliers. Deadlines are weeks from the run
 * date, so a demo seeded any day has open requirements. Every code, tag, standard and unit comes from
 * @vinculo/taxonomy (checked in requirements.test.ts, which also runs the matching engine over the seeded
 * suppliers to show each requirement has candidates and near misses).
 *
 * Certificates are never `verifiedOnly` as a must-have: the seeder declares certificates but no auditor verifies
 * them, so such a requirement would have no candidate on the demo.
 */
import type { BuyerSlug } from './buyers.js';

export interface RequirementItemInput {
  description: string;
  /** Part or drawing numbers (the route also takes SCIAN or UNSPSC codes). */
  codes: string[];
  quantity: number;
  unit: string;
}

export interface RequiredCertificateInput {
  standardId: string;
  verifiedOnly?: boolean;
}

/** The body of POST /api/matching/requirements (RequirementBody in services/matching). */
export interface RequirementInput {
  title: string;
  description?: string;
  items: RequirementItemInput[];
  capabilities: { scianCodes: string[]; processTags: string[] };
  mustHaveCertificates: RequiredCertificateInput[];
  niceToHaveCertificates?: RequiredCertificateInput[];
  maxTier?: 1 | 2 | 3 | 4 | null;
  sizePreference?: 'sme-only' | 'prefer-sme' | null;
  location?: { lat: number; lon: number; radiusKm: number } | null;
  volume?: { unit: string; amountPerMonth: number } | null;
  /** YYYY-MM-DD, America/Mexico_City calendar. */
  deadline: string;
  visibility: 'public' | 'invited' | 'bureaus';
}

export interface DemoRequirement extends Omit<RequirementInput, 'deadline' | 'location'> {
  buyer: BuyerSlug;
  language: 'es' | 'en';
  /** Quotes are due this many weeks after the run date (2 to 10). */
  weeks: number;
  /** Where the parts are needed: one of REGIONS and a radius, or absent for anywhere in Mexico. */
  near?: { region: RegionId; radiusKm: number };
}

/** Plants of the demo buyers: industrial areas where the seeded suppliers cluster. */
export const REGIONS = {
  queretaro: { name: 'Querétaro (El Marqués)', lat: 20.6167, lon: -100.2667 },
  silao: { name: 'Silao, Guanajuato (Puerto Interior)', lat: 20.9436, lon: -101.4286 },
  celaya: { name: 'Celaya, Guanajuato', lat: 20.5235, lon: -100.8157 },
  sanLuisPotosi: { name: 'San Luis Potosí', lat: 22.1565, lon: -100.9855 },
  saltillo: { name: 'Ramos Arizpe, Coahuila', lat: 25.54, lon: -100.9476 },
  monterrey: { name: 'Apodaca, Nuevo León', lat: 25.7817, lon: -100.1886 },
  chihuahua: { name: 'Chihuahua, Chihuahua', lat: 28.6353, lon: -106.0889 },
  guadalajara: { name: 'El Salto, Jalisco', lat: 20.5194, lon: -103.1819 },
  tijuana: { name: 'Tijuana, Baja California', lat: 32.5149, lon: -117.0382 },
  mexicali: { name: 'Mexicali, Baja California', lat: 32.6245, lon: -115.4523 },
} as const;
export type RegionId = keyof typeof REGIONS;

const AUTO: BuyerSlug = 'buyer-automotriz-bajio';
const AERO: BuyerSlug = 'buyer-aeroespacial-queretaro';
const ELEC: BuyerSlug = 'buyer-electronica-jalisco';
const MED: BuyerSlug = 'buyer-dispositivos-medicos-bc';

const IATF = { standardId: 'iatf-16949-2016' };
const ISO9001 = { standardId: 'iso-9001-2015' };
const ISO14001 = { standardId: 'iso-14001-2015' };
const ISO13485 = { standardId: 'iso-13485-2016' };
const AS9100 = { standardId: 'as9100d' };
const NADCAP = { standardId: 'nadcap' };

export const DEMO_REQUIREMENTS: readonly DemoRequirement[] = [
  // ——— Demo Automotriz Bajío: tier-1 seating, chassis and e-axle programmes ———
  {
    buyer: AUTO,
    language: 'en',
    title: 'CNC-machined aluminium brackets, IATF 16949, Tier 2 — within 300 km of Querétaro',
    description:
      'RFQ for three machined brackets of an EV battery-tray subassembly built on our Querétaro line (SOP in Q3). ' +
      'Material 6061-T6 plate and extruded bar per drawing; critical bores ±0.02 mm, flatness 0.05 mm, Ra 1.6 µm on ' +
      'datum faces; clear anodise after machining. Estimated 60,000 sets a year (5,000 sets/month) over a five-year ' +
      'programme. PPAP level 3 with PSW, full dimensional layout on 5 pieces per fixture, Cpk ≥ 1.67 on CC/SC ' +
      'characteristics. Packaging: returnable KLT 6280 totes with dunnage, 40 pieces per tote, Kanban deliveries twice ' +
      'a week DAP Querétaro. Quote piece price at 4,000 / 5,000 / 6,500 sets a month, fixtures separately, and the ' +
      'lead time to PPAP.',
    items: [
      {
        description: 'Battery-tray bracket LH, 6061-T6, drawing BRK-4471-A rev C',
        codes: ['BRK-4471-A'],
        quantity: 60_000,
        unit: 'pcs/year',
      },
      {
        description: 'Battery-tray bracket RH, 6061-T6, drawing BRK-4472-A rev C',
        codes: ['BRK-4472-A'],
        quantity: 60_000,
        unit: 'pcs/year',
      },
      {
        description: 'Cross-member mounting block, 6061-T6 extruded bar, drawing BRK-4480 rev A',
        codes: ['BRK-4480'],
        quantity: 60_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['332710', '3363'], processTags: ['cnc-machining', 'milling'] },
    mustHaveCertificates: [IATF],
    niceToHaveCertificates: [ISO14001],
    maxTier: 2,
    near: { region: 'queretaro', radiusKm: 300 },
    volume: { unit: 'units-per-month', amountPerMonth: 5_000 },
    weeks: 6,
    visibility: 'public',
  },
  {
    buyer: AUTO,
    language: 'es',
    title: 'Refuerzos troquelados de acero para estructura de asiento — PPAP nivel 3',
    description:
      'Solicitamos cotización de 4 refuerzos estampados para la estructura de asiento delantero (programa SUV, ' +
      'planta Silao). Material: acero HSLA 340 y DP 590 calibre 1.6–2.0 mm, e-coat negro 20 µm mínimo. Tolerancias ' +
      'de perfil ±0.5 mm y barrenos de posicionamiento ±0.1 mm; se requiere troquel progresivo o transfer (el ' +
      'herramental se cotiza por separado y queda propiedad del cliente). Volumen anual estimado 300,000 piezas por ' +
      'número de parte. Requisitos: PPAP nivel 3, Cpk ≥ 1.33, control de rebaba, certificados de material por lote. ' +
      'Empaque en contenedor metálico retornable, 200 piezas por contenedor, entrega JIT a Silao.',
    items: [
      {
        description: 'Refuerzo de riel de asiento izq., HSLA 340, plano SR-2210 rev B',
        codes: ['SR-2210'],
        quantity: 300_000,
        unit: 'pzas/año',
      },
      {
        description: 'Refuerzo de riel de asiento der., HSLA 340, plano SR-2211 rev B',
        codes: ['SR-2211'],
        quantity: 300_000,
        unit: 'pzas/año',
      },
      {
        description: 'Soporte de reclinador, DP 590, plano SR-2230 rev A',
        codes: ['SR-2230'],
        quantity: 300_000,
        unit: 'pzas/año',
      },
      {
        description: 'Placa de anclaje de cinturón, DP 590, plano SR-2241 rev A',
        codes: ['SR-2241'],
        quantity: 300_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['336370', '332110', '3363'], processTags: ['sheet-metal-stamping'] },
    mustHaveCertificates: [IATF],
    maxTier: 2,
    near: { region: 'silao', radiusKm: 250 },
    volume: { unit: 'units-per-month', amountPerMonth: 100_000 },
    weeks: 8,
    visibility: 'public',
  },
  {
    buyer: AUTO,
    language: 'es',
    title: 'Piezas de inyección de plástico para consola central (PP con talco y ABS)',
    description:
      'Cotización de 6 componentes inyectados para consola central: bisel, portavasos, tapa de descansabrazos y ' +
      'clips. Materiales PP 20 % talco (texturizado VW K31) y ABS para piezas cromadas. Moldes de 1+1 y 2 cavidades, ' +
      'prensas de 350 a 650 t. Requisitos de apariencia por norma del cliente (sin rechupes ni líneas de flujo ' +
      'visibles en zona A), estabilidad dimensional ±0.2 mm. Volumen anual 180,000 juegos. PPAP nivel 3, ' +
      'validación de moldes en nuestras instalaciones, empaque en caja de plástico retornable con separadores. ' +
      'Preferimos proveedores PyME del Bajío con capacidad de prensa disponible.',
    items: [
      {
        description: 'Bisel de consola central, PP-T20 texturizado, plano CC-1001',
        codes: ['CC-1001'],
        quantity: 180_000,
        unit: 'pzas/año',
      },
      {
        description: 'Portavasos doble, PP-T20, plano CC-1014',
        codes: ['CC-1014'],
        quantity: 180_000,
        unit: 'pzas/año',
      },
      {
        description: 'Tapa de descansabrazos, ABS, plano CC-1020',
        codes: ['CC-1020'],
        quantity: 180_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['326192', '3261'], processTags: ['injection-moulding'] },
    mustHaveCertificates: [IATF],
    niceToHaveCertificates: [ISO14001],
    sizePreference: 'prefer-sme',
    near: { region: 'celaya', radiusKm: 250 },
    volume: { unit: 'units-per-month', amountPerMonth: 45_000 },
    weeks: 7,
    visibility: 'public',
  },
  {
    buyer: AUTO,
    language: 'en',
    title: 'High-pressure aluminium die castings — e-axle housings in A380',
    description:
      'We are sourcing the motor and gearbox housings of an electric axle (two part numbers, 2.8 kg and 4.1 kg). ' +
      'HPDC in A380 or AlSi9Cu3, porosity class per VDG P202 (level 2 on sealing faces), leak test at 1.5 bar, ' +
      'rough-machined by the supplier (datum faces and core holes) and fully machined by us. 36,000 sets a year from ' +
      'SOP, ramp-up over six months. Required: IATF 16949, CQI-27 self-assessment, PPAP level 3 with X-ray and CT ' +
      'reports on the first article, casting simulation with the quote. Packaging in returnable racks, 24 pieces per ' +
      'rack, FCA supplier plant. Plants in the Bajío, San Luis Potosí or the north-east can quote.',
    items: [
      {
        description: 'E-axle motor housing, A380 HPDC, rough machined, drawing EAX-3100',
        codes: ['EAX-3100'],
        quantity: 36_000,
        unit: 'pcs/year',
      },
      {
        description: 'E-axle gearbox cover, A380 HPDC, rough machined, drawing EAX-3120',
        codes: ['EAX-3120'],
        quantity: 36_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['331520'], processTags: ['die-casting'] },
    mustHaveCertificates: [IATF],
    niceToHaveCertificates: [ISO14001],
    near: { region: 'silao', radiusKm: 600 },
    volume: { unit: 'units-per-month', amountPerMonth: 6_000 },
    weeks: 10,
    visibility: 'public',
  },
  {
    buyer: AUTO,
    language: 'es',
    title: 'Arneses eléctricos para módulo de puerta delantera — planta San Luis Potosí',
    description:
      'Requerimos cotización de arneses para módulo de puerta (ventana eléctrica, espejo y seguro) para nuestra ' +
      'planta de San Luis Potosí. 38 circuitos, cable FLRY-B 0.35–2.5 mm², terminales y conectores de la lista ' +
      'aprobada del cliente, encintado y corrugado según plano, prueba eléctrica al 100 % en tablero de continuidad. ' +
      'Volumen 96,000 arneses al año por lado. Requisitos: IATF 16949, PPAP nivel 3, trazabilidad por lote de ' +
      'terminal, capacidad de cambios de ingeniería en 4 semanas. Entrega en caja retornable, 25 arneses por caja, ' +
      'secuenciado por color de vehículo.',
    items: [
      {
        description: 'Arnés de puerta delantera izquierda, 38 circuitos, plano DH-7701',
        codes: ['DH-7701'],
        quantity: 96_000,
        unit: 'pzas/año',
      },
      {
        description: 'Arnés de puerta delantera derecha, 34 circuitos, plano DH-7702',
        codes: ['DH-7702'],
        quantity: 96_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['336320', '335920'], processTags: ['wire-harness', 'cable-assembly'] },
    mustHaveCertificates: [IATF],
    maxTier: 3,
    near: { region: 'sanLuisPotosi', radiusKm: 700 },
    volume: { unit: 'units-per-month', amountPerMonth: 16_000 },
    weeks: 9,
    visibility: 'public',
  },
  {
    buyer: AUTO,
    language: 'es',
    title: 'Tratamiento térmico: carburizado y temple de engranes de transmisión (CQI-9)',
    description:
      'Buscamos proveedor de tratamiento térmico para engranes y flechas de transmisión en acero 20MnCr5 y 8620. ' +
      'Proceso: carburizado a gas, temple en aceite y revenido; profundidad de capa efectiva 0.6–0.9 mm a 550 HV, ' +
      'dureza superficial 58–62 HRC, distorsión controlada (runout ≤ 0.05 mm). Aproximadamente 18 toneladas al mes ' +
      'en lotes de 1.5 t, recolección y entrega en Celaya con 72 h de tiempo de ciclo. Requisitos: IATF 16949, ' +
      'autoevaluación CQI-9 vigente, hornos con registro continuo de temperatura y potencial de carbono, ' +
      'certificado de tratamiento por lote.',
    items: [
      {
        description: 'Engrane de 3a velocidad, 20MnCr5, carburizado y templado, plano TX-5531',
        codes: ['TX-5531'],
        quantity: 120_000,
        unit: 'kg/año',
      },
      {
        description: 'Flecha de salida, 8620, carburizado y templado, plano TX-5560',
        codes: ['TX-5560'],
        quantity: 96_000,
        unit: 'kg/año',
      },
    ],
    capabilities: { scianCodes: ['332810'], processTags: ['heat-treatment'] },
    mustHaveCertificates: [IATF],
    near: { region: 'celaya', radiusKm: 350 },
    volume: { unit: 'kg-per-month', amountPerMonth: 18_000 },
    weeks: 5,
    visibility: 'public',
  },
  {
    buyer: AUTO,
    language: 'en',
    title: 'Zinc-nickel plating (CQI-11) of brake caliper brackets',
    description:
      'Coating service for cast-iron brake caliper brackets (GJS-500, 1.3 kg each) machined by us. Alkaline zinc-' +
      'nickel 12–15 % Ni, 8–12 µm, trivalent black passivation and sealer; 720 h neutral salt spray to white and ' +
      'red rust per ISO 9227. About 25 t a month, rack or barrel as the supplier proposes; threads and the piston ' +
      'bore masked. IATF 16949 and a current CQI-11 assessment are required, with thickness and salt-spray reports ' +
      'per lot and PPAP level 3. Pick-up and delivery at our Querétaro plant, 48-hour turnaround.',
    items: [
      {
        description: 'Caliper bracket front, GJS-500, Zn-Ni + black passivation, drawing BC-2040',
        codes: ['BC-2040'],
        quantity: 150_000,
        unit: 'pcs/year',
      },
      {
        description: 'Caliper bracket rear, GJS-500, Zn-Ni + black passivation, drawing BC-2041',
        codes: ['BC-2041'],
        quantity: 150_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['332810'], processTags: ['plating'] },
    mustHaveCertificates: [IATF],
    near: { region: 'queretaro', radiusKm: 450 },
    volume: { unit: 'kg-per-month', amountPerMonth: 25_000 },
    weeks: 4,
    visibility: 'public',
  },
  {
    buyer: AUTO,
    language: 'es',
    title: 'Cajas de cartón corrugado doble pared y separadores para autopartes',
    description:
      'Solicitud para PyMEs de la bolsa de subcontratación: cajas de cartón corrugado doble pared (resistencia ' +
      'ECT 44 lb/in) con separadores troquelados para envío de autopartes a la planta de Querétaro. 5 medidas, ' +
      'impresión a 1 tinta con logotipo y etiqueta de identificación AIAG B-10. Consumo aproximado de 20,000 cajas ' +
      'al mes, entregas semanales, inventario de seguridad de 2 semanas en almacén del proveedor. Se pide muestra ' +
      'física de cada medida y reporte de prueba de compresión.',
    items: [
      {
        description: 'Caja corrugada doble pared 60×40×30 cm con separador de 12 celdas, plano PK-600',
        codes: ['PK-600'],
        quantity: 120_000,
        unit: 'pzas/año',
      },
      {
        description: 'Caja corrugada doble pared 40×30×25 cm, plano PK-400',
        codes: ['PK-400'],
        quantity: 120_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['322210', '3222'], processTags: ['packaging'] },
    mustHaveCertificates: [],
    niceToHaveCertificates: [ISO9001],
    sizePreference: 'sme-only',
    near: { region: 'queretaro', radiusKm: 250 },
    volume: { unit: 'units-per-month', amountPerMonth: 20_000 },
    weeks: 3,
    visibility: 'bureaus',
  },
  {
    buyer: AUTO,
    language: 'en',
    title: 'Compression-moulded EPDM seals and grommets for HVAC and wiring pass-throughs',
    description:
      'Five rubber parts for the HVAC module and body wiring pass-throughs: EPDM 60 ± 5 Shore A, compression or ' +
      'injection moulded, deflashed, talc-free. Material per ASTM D2000 M2AA 607, compression set ≤ 25 % (22 h at ' +
      '100 °C), colour black. Annual volume 720,000 pieces across the family. IATF 16949, PPAP level 3 with ' +
      'material certification and IMDS entry. Bulk packed in cartons of 500, labelled per AIAG B-10. Any region in ' +
      'Mexico; smaller specialised moulders are welcome to quote.',
    items: [
      {
        description: 'HVAC drain grommet, EPDM 60 ShA, drawing RG-310',
        codes: ['RG-310'],
        quantity: 240_000,
        unit: 'pcs/year',
      },
      {
        description: 'Wiring pass-through grommet Ø32, EPDM 60 ShA, drawing RG-322',
        codes: ['RG-322'],
        quantity: 240_000,
        unit: 'pcs/year',
      },
      {
        description: 'Evaporator case seal, EPDM sponge, drawing RG-340',
        codes: ['RG-340'],
        quantity: 240_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['326290', '3262'], processTags: ['rubber-moulding'] },
    mustHaveCertificates: [IATF],
    sizePreference: 'prefer-sme',
    volume: { unit: 'units-per-month', amountPerMonth: 60_000 },
    weeks: 8,
    visibility: 'public',
  },
  {
    buyer: AUTO,
    language: 'es',
    title: 'Soldadura robotizada de subensambles de travesaño (MIG, acero HSLA) — Ramos Arizpe',
    description:
      'Para la bolsa de subcontratación de Nuevo León y Coahuila: soldadura robotizada MIG de 3 subensambles de ' +
      'travesaño trasero para nuestra planta de Ramos Arizpe. Componentes estampados suministrados por nosotros ' +
      '(material consignado); el proveedor aporta dispositivos de soldadura, celda robotizada y control de ' +
      'penetración por macroataque (frecuencia por turno). 6,000 juegos al mes. Requisitos: IATF 16949, ' +
      'certificación de soldadores AWS D1.1 o equivalente, PPAP nivel 3. Empaque en racks retornables. Sólo PyMEs.',
    items: [
      {
        description: 'Subensamble de travesaño trasero, 7 componentes, plano CM-8800',
        codes: ['CM-8800'],
        quantity: 72_000,
        unit: 'juegos/año',
      },
      {
        description: 'Soporte de amortiguador soldado, plano CM-8815',
        codes: ['CM-8815'],
        quantity: 144_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['3363', '332310'], processTags: ['robotic-welding', 'welding'] },
    mustHaveCertificates: [IATF],
    sizePreference: 'sme-only',
    near: { region: 'saltillo', radiusKm: 150 },
    volume: { unit: 'units-per-month', amountPerMonth: 6_000 },
    weeks: 6,
    visibility: 'bureaus',
  },
  {
    buyer: AUTO,
    language: 'en',
    title: 'Hot-forged steering knuckles in 42CrMo4, machined ready to assemble',
    description:
      'Front steering knuckles LH/RH for a compact SUV platform: closed-die hot forging in 42CrMo4 (or 38MnVS6 ' +
      'micro-alloyed, to be agreed), quenched and tempered to 28–32 HRC, shot-blasted, machined complete (bearing ' +
      'bore H7, ball-joint taper, caliper mounting holes), e-coated. 48,000 pairs a year. Safety-critical part: ' +
      'IATF 16949, 100 % crack detection (magnetic particle), PPAP level 3, grain flow report. Tier 1 or tier 2 ' +
      'suppliers to the automotive industry, with a forge in the north-east or the Bajío (within 800 km of ' +
      'our Apodaca machining partner).',
    items: [
      {
        description: 'Steering knuckle front LH, 42CrMo4 forged and machined, drawing SK-1201',
        codes: ['SK-1201'],
        quantity: 48_000,
        unit: 'pcs/year',
      },
      {
        description: 'Steering knuckle front RH, 42CrMo4 forged and machined, drawing SK-1202',
        codes: ['SK-1202'],
        quantity: 48_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['332110', '336330'], processTags: ['forging'] },
    mustHaveCertificates: [IATF],
    maxTier: 2,
    near: { region: 'monterrey', radiusKm: 800 },
    volume: { unit: 'units-per-month', amountPerMonth: 8_000 },
    weeks: 10,
    visibility: 'public',
  },

  // ——— Demo Aeroespacial Querétaro: aerostructures, engine parts and special processes ———
  {
    buyer: AERO,
    language: 'en',
    title: 'Machined 7075-T7351 fittings and brackets for a fuselage section — FAI per AS9102',
    description:
      'Build-to-print package of 14 machined aluminium fittings for a business-jet fuselage section. 7075-T7351 ' +
      'and 2024-T351 plate, 3- and 5-axis milling, tightest tolerance ±0.025 mm, edge breaks and surface finish ' +
      'per drawing; chromic-free anodise and primer by our approved special-process sources (Nadcap). ISO 9001 is ' +
      'the minimum and AS9100 strongly preferred (supplier-development programme: a dated AS9100 certification ' +
      'plan is accepted); First Article Inspection per AS9102 on every part number, material and process certificates with ' +
      'each lot, FOD programme. About 1,200 pieces a year across the package, lots of 25–50. Individually bagged, ' +
      'foam-lined boxes, FCA supplier plant.',
    items: [
      {
        description: 'Frame fitting, 7075-T7351, drawing AF-20417-003',
        codes: ['AF-20417-003'],
        quantity: 300,
        unit: 'pcs/year',
      },
      {
        description: 'Stringer clip, 2024-T351, drawing AF-20433-011',
        codes: ['AF-20433-011'],
        quantity: 600,
        unit: 'pcs/year',
      },
      {
        description: 'Hinge bracket, 7075-T7351, drawing AF-20450-001',
        codes: ['AF-20450-001'],
        quantity: 300,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['336410', '3327'], processTags: ['cnc-machining', 'milling', 'turning'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [AS9100, ISO14001],
    volume: { unit: 'units-per-month', amountPerMonth: 100 },
    weeks: 8,
    visibility: 'public',
  },
  {
    buyer: AERO,
    language: 'es',
    title: 'Anodizado tipo II y anodizado duro tipo III (MIL-PRF-8625) para componentes de aluminio',
    description:
      'Buscamos proveedor de anodizado para componentes maquinados de aluminio 2024, 6061 y 7075: anodizado ' +
      'sulfúrico tipo II clase 1 y 2 (negro) y anodizado duro tipo III de 25–50 µm según MIL-PRF-8625, sellado ' +
      'con dicromato o acetato de níquel según plano, enmascarado de barrenos roscados. Aproximadamente 400 m² al ' +
      'mes. Requisitos: ISO 9001 como mínimo; Nadcap de procesos químicos y AS9100 son una ventaja importante. ' +
      'Reporte de espesor por lote y certificado de conformidad. Recolección en Querétaro con ciclo de 5 días hábiles.',
    items: [
      {
        description: 'Anodizado tipo II negro de carcasas 6061-T6, plano QA-118',
        codes: ['QA-118'],
        quantity: 2_400,
        unit: 'm²/año',
      },
      {
        description: 'Anodizado duro tipo III de pistones 7075-T73, plano QA-140',
        codes: ['QA-140'],
        quantity: 2_400,
        unit: 'm²/año',
      },
    ],
    capabilities: { scianCodes: ['332810'], processTags: ['anodising', 'plating'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [{ ...NADCAP, verifiedOnly: true }, AS9100],
    near: { region: 'queretaro', radiusKm: 350 },
    volume: { unit: 'm2-per-month', amountPerMonth: 400 },
    weeks: 6,
    visibility: 'public',
  },
  {
    buyer: AERO,
    language: 'es',
    title: 'Laminado de preimpregnado de fibra de carbono para paneles interiores de cabina',
    description:
      'Fabricación de 6 paneles interiores (cubiertas de ducto y paneles de acceso) en preimpregnado de fibra de ' +
      'carbono/epóxica curado en autoclave, núcleo de panal Nomex en 2 de ellos. Inspección ultrasónica del 100 %, ' +
      'cumplimiento FAR 25.853 (inflamabilidad) con reportes del laboratorio del proveedor de material, ' +
      'recorte CNC y barrenado. 300 paneles al mes en régimen. Requisitos: ISO 9001 obligatorio, AS9100 deseable ' +
      '(si no lo tiene, indique su plan de certificación). Entrega en Querétaro, empaque individual con protección ' +
      'de esquinas.',
    items: [
      {
        description: 'Panel de acceso de piso, CFRP con núcleo Nomex, plano CP-5100',
        codes: ['CP-5100'],
        quantity: 1_800,
        unit: 'pzas/año',
      },
      {
        description: 'Cubierta de ducto ECS, CFRP monolítico, plano CP-5130',
        codes: ['CP-5130'],
        quantity: 1_800,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['336410', '326198'], processTags: ['composites'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [AS9100],
    near: { region: 'queretaro', radiusKm: 400 },
    volume: { unit: 'units-per-month', amountPerMonth: 300 },
    weeks: 10,
    visibility: 'public',
  },
  {
    buyer: AERO,
    language: 'en',
    title: '17-4PH investment castings for actuator housings',
    description:
      'Investment (lost-wax) castings in 17-4PH stainless (AMS 5355) for two actuator housings, 0.6 and 1.1 kg, ' +
      'H1025 condition, radiographic inspection grade B per ASTM E192 on critical zones, fluorescent penetrant ' +
      'inspection 100 %. 800 castings a month combined. ISO 9001 required; AS9100 and Nadcap (NDT) preferred. ' +
      'First article with full dimensional report and mechanical test bars per heat. Anywhere in Mexico; delivery ' +
      'to our Querétaro plant.',
    items: [
      {
        description: 'Actuator housing, 17-4PH investment casting, drawing AC-7740',
        codes: ['AC-7740'],
        quantity: 4_800,
        unit: 'pcs/year',
      },
      {
        description: 'Actuator end cap, 17-4PH investment casting, drawing AC-7745',
        codes: ['AC-7745'],
        quantity: 4_800,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['331510', '331520'], processTags: ['investment-casting'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [AS9100, NADCAP],
    volume: { unit: 'units-per-month', amountPerMonth: 800 },
    weeks: 9,
    visibility: 'public',
  },
  {
    buyer: AERO,
    language: 'es',
    title: 'Tratamiento térmico al vacío de aceros inoxidables PH y aleaciones de titanio',
    description:
      'Servicio de tratamiento térmico para piezas de motor y tren de aterrizaje: solubilizado y envejecido de ' +
      '17-4PH y 15-5PH, relevado de esfuerzos de Ti-6Al-4V, en horno de vacío con pirometría según AMS 2750 y ' +
      'AMS 2759. Aproximadamente 3 toneladas al mes. Requisitos: ISO 9001; Nadcap de tratamiento térmico es ' +
      'deseable y será obligatorio a partir del segundo año. Certificado por carga con gráfica de temperatura. ' +
      'Planta en la zona de Chihuahua o que pueda dar servicio a nuestros proveedores de esa región.',
    items: [
      {
        description: 'Solubilizado y envejecido H1025 de bridas 17-4PH, plano LG-3302',
        codes: ['LG-3302'],
        quantity: 18_000,
        unit: 'kg/año',
      },
      {
        description: 'Relevado de esfuerzos de soportes Ti-6Al-4V, plano LG-3350',
        codes: ['LG-3350'],
        quantity: 18_000,
        unit: 'kg/año',
      },
    ],
    capabilities: { scianCodes: ['332810'], processTags: ['heat-treatment'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [NADCAP, AS9100],
    near: { region: 'chihuahua', radiusKm: 600 },
    volume: { unit: 'kg-per-month', amountPerMonth: 3_000 },
    weeks: 7,
    visibility: 'public',
  },
  {
    buyer: AERO,
    language: 'en',
    title: 'Laser-cut and formed sheet-metal brackets and clips — Chihuahua aerostructures',
    description:
      'Family of 40 small sheet-metal details (clips, angles, brackets) in 2024-T3 and 6061-T6 sheet, 0.8–3.2 mm: ' +
      'laser or router blanking, press-brake forming, deburring, heat treatment by an approved source. Flat-pattern ' +
      'development from our 3D models, tolerances ±0.25 mm. Around 12,000 pieces a month in kits by work order. ' +
      'ISO 9001 required, AS9100 preferred; small and medium shops are encouraged to quote. Delivery to our ' +
      'Chihuahua assembly site in kitted bins.',
    items: [
      {
        description: 'Clip family, 2024-T3 sheet 1.0–1.6 mm, drawings SM-6000 to SM-6025',
        codes: ['SM-6000'],
        quantity: 90_000,
        unit: 'pcs/year',
      },
      {
        description: 'Bracket family, 6061-T6 sheet 2.0–3.2 mm, drawings SM-6100 to SM-6114',
        codes: ['SM-6100'],
        quantity: 54_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: {
      scianCodes: ['332310', '332320', '3324'],
      processTags: ['laser-cutting', 'sheet-metal-fabrication'],
    },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [AS9100],
    sizePreference: 'prefer-sme',
    near: { region: 'chihuahua', radiusKm: 800 },
    volume: { unit: 'units-per-month', amountPerMonth: 12_000 },
    weeks: 5,
    visibility: 'public',
  },
  {
    buyer: AERO,
    language: 'en',
    title: 'Cabin-lighting wire harnesses and cable assemblies — Mexicali',
    description:
      'Invitation-only RFQ: 12 wire harnesses and cable assemblies for cabin lighting and passenger service units. ' +
      'MIL-W-22759 wire, AS39029 contacts, heat-shrink marking sleeves, workmanship per IPC/WHMA-A-620 class 3, ' +
      '100 % continuity and hipot testing. 2,500 assemblies a month. ISO 9001 required, AS9100 preferred; ' +
      'ESD-safe area and crimp-height monitoring. Delivery DAP Mexicali.',
    items: [
      {
        description: 'PSU lighting harness, 22 circuits, drawing WH-9020',
        codes: ['WH-9020'],
        quantity: 18_000,
        unit: 'pcs/year',
      },
      {
        description: 'Reading-light cable assembly, drawing WH-9041',
        codes: ['WH-9041'],
        quantity: 12_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['335920', '336320'], processTags: ['wire-harness', 'cable-assembly'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [AS9100],
    near: { region: 'mexicali', radiusKm: 1_200 },
    volume: { unit: 'units-per-month', amountPerMonth: 2_500 },
    weeks: 8,
    visibility: 'invited',
  },
  {
    buyer: AERO,
    language: 'es',
    title: 'Herramentales de ensamble (jigs) y piezas maquinadas para línea de estructuras',
    description:
      'Para las PyMEs de la bolsa de subcontratación del Bajío: diseño a detalle y fabricación de 8 dispositivos ' +
      'de ensamble y barrenado (jigs) para subensambles de fuselaje, con estructura soldada de acero, bujes ' +
      'templados y placas maquinadas; certificación dimensional con láser tracker. Estimamos 600 horas máquina al ' +
      'mes durante 4 meses. Se valora experiencia en herramentales aeroespaciales o automotrices. Entrega e ' +
      'instalación en nuestra planta de Querétaro.',
    items: [
      {
        description: 'Jig de barrenado de marco, plano TL-400',
        codes: ['TL-400'],
        quantity: 4,
        unit: 'pzas',
      },
      {
        description: 'Dispositivo de ensamble de panel, plano TL-420',
        codes: ['TL-420'],
        quantity: 4,
        unit: 'pzas',
      },
    ],
    capabilities: {
      scianCodes: ['332710', '333249'],
      processTags: ['tool-and-die', 'machine-building', 'welding'],
    },
    mustHaveCertificates: [],
    niceToHaveCertificates: [ISO9001],
    sizePreference: 'sme-only',
    near: { region: 'queretaro', radiusKm: 250 },
    volume: { unit: 'machine-hours-per-month', amountPerMonth: 600 },
    weeks: 4,
    visibility: 'bureaus',
  },
  {
    buyer: AERO,
    language: 'es',
    title: 'Almacenaje y logística de exportación bajo programa IMMEX — Querétaro',
    description:
      'Servicio de almacén para materia prima y producto terminado bajo nuestro programa IMMEX: 1,200 m² con ' +
      'control de inventario por número de serie y lote, FIFO, área de cuarentena, control de humedad para ' +
      'material compuesto, y transporte a la frontera (Nuevo Laredo) dos veces por semana. Deseable C-TPAT u OEA. ' +
      'Contrato de 2 años. Indicar tarifas por posición de tarima y por viaje.',
    items: [
      {
        description: 'Almacenaje de tarimas en rack selectivo, 600 posiciones',
        codes: ['LOG-WH-600'],
        quantity: 600,
        unit: 'posiciones',
      },
      {
        description: 'Viaje Querétaro–Nuevo Laredo, caja seca de 53 pies',
        codes: ['LOG-FTL-53'],
        quantity: 104,
        unit: 'viajes/año',
      },
    ],
    capabilities: { scianCodes: ['4931', '4841'], processTags: ['warehousing', 'logistics'] },
    mustHaveCertificates: [],
    niceToHaveCertificates: [{ standardId: 'ctpat' }, { standardId: 'oea-mx' }],
    near: { region: 'queretaro', radiusKm: 300 },
    weeks: 3,
    visibility: 'public',
  },

  // ——— Demo Electrónica Jalisco: EMS, telecom and power electronics ———
  {
    buyer: ELEC,
    language: 'en',
    title: 'SMT assembly of 6-layer controller boards — IPC-A-610 class 2',
    description:
      'Turnkey or consigned SMT assembly of two controller boards (6-layer FR-4, 160 × 100 mm, 420 and 610 ' +
      'placements, 0402 passives, QFN and a 0.5 mm-pitch BGA). Lead-free reflow, AOI 100 %, X-ray on BGA, ' +
      'selective wave for 12 through-hole connectors, conformal coating on one side. 15,000 boards a month. ISO 9001 ' +
      'required; IATF 16949 a plus (the boards go into an automotive charger). Workmanship IPC-A-610 class 2, MSL ' +
      'control per J-STD-033. Packed in ESD trays, 20 boards per tray. Any region in Mexico; smaller EMS welcome.',
    items: [
      {
        description: 'Charger controller board, 6-layer, 420 placements, assembly CB-600-A',
        codes: ['CB-600-A'],
        quantity: 120_000,
        unit: 'pcs/year',
      },
      {
        description: 'Communication board, 6-layer, 610 placements, BGA, assembly CB-610-B',
        codes: ['CB-610-B'],
        quantity: 60_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['334410'], processTags: ['pcb-assembly-smt'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [IATF],
    sizePreference: 'prefer-sme',
    volume: { unit: 'units-per-month', amountPerMonth: 15_000 },
    weeks: 6,
    visibility: 'public',
  },
  {
    buyer: ELEC,
    language: 'es',
    title: 'Ensamble de cables coaxiales y arneses para equipo de telecomunicaciones',
    description:
      'Solicitamos cotización de 9 ensambles de cable para radios de telecomunicaciones: cable coaxial RG-316 y ' +
      'LMR-240 con conectores SMA y N, arneses de alimentación de 12 circuitos y cables planos. Prueba de VSWR ' +
      '(≤ 1.3 hasta 6 GHz) al 100 % en los coaxiales, continuidad e hipot en los arneses, mano de obra IPC/WHMA-' +
      'A-620 clase 2. 20,000 ensambles al mes. Requisito: ISO 9001. Entrega en El Salto, Jalisco, en bolsas ' +
      'individuales etiquetadas.',
    items: [
      {
        description: 'Jumper coaxial RG-316 SMA-SMA, 300 mm, plano CX-316-300',
        codes: ['CX-316-300'],
        quantity: 120_000,
        unit: 'pzas/año',
      },
      {
        description: 'Arnés de alimentación DC de 12 circuitos, plano PW-1208',
        codes: ['PW-1208'],
        quantity: 60_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['335920', '334290'], processTags: ['cable-assembly', 'wire-harness'] },
    mustHaveCertificates: [ISO9001],
    near: { region: 'guadalajara', radiusKm: 700 },
    volume: { unit: 'units-per-month', amountPerMonth: 20_000 },
    weeks: 7,
    visibility: 'public',
  },
  {
    buyer: ELEC,
    language: 'en',
    title: 'Injection-moulded PC/ABS enclosures, UL 94 V-0, textured',
    description:
      'Two-piece enclosure (base and cover) plus light pipe for a network gateway. PC/ABS UL 94 V-0 in light grey, ' +
      'MT-11010 texture, ultrasonic welding of the light pipe, pad printing of the logo. Wall 2.0 mm, snap fits, ' +
      'flatness 0.3 mm on the cover. 30,000 sets a month, moulds (2+2 cavities, hot runner) quoted separately and ' +
      'owned by us. ISO 9001 required. Delivery to Guadalajara in returnable totes.',
    items: [
      {
        description: 'Gateway enclosure base, PC/ABS V-0, drawing EN-2201',
        codes: ['EN-2201'],
        quantity: 360_000,
        unit: 'pcs/year',
      },
      {
        description: 'Gateway enclosure cover with pad-printed logo, drawing EN-2202',
        codes: ['EN-2202'],
        quantity: 360_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['326199', '3261'], processTags: ['injection-moulding'] },
    mustHaveCertificates: [ISO9001],
    near: { region: 'guadalajara', radiusKm: 450 },
    volume: { unit: 'units-per-month', amountPerMonth: 30_000 },
    weeks: 8,
    visibility: 'public',
  },
  {
    buyer: ELEC,
    language: 'es',
    title: 'Gabinetes de lámina rolada en frío con pintura electrostática para equipo de potencia',
    description:
      'Fabricación de gabinetes para inversores: lámina rolada en frío calibre 14 y 16, corte láser, doblez en ' +
      'prensa plegadora CNC, insertos PEM, soldadura de puntos y pintura en polvo poliéster RAL 7035 texturizada ' +
      '(80–100 µm, 500 h de niebla salina). Grado de protección IP54 con empaque de espuma. 2,000 gabinetes al mes ' +
      'en 3 tamaños. Requisito: ISO 9001. Entrega en Guadalajara, embalados en caja de cartón con esquineros.',
    items: [
      {
        description: 'Gabinete de inversor 600×400×250 mm, plano GB-640',
        codes: ['GB-640'],
        quantity: 12_000,
        unit: 'pzas/año',
      },
      {
        description: 'Gabinete de inversor 800×600×300 mm, plano GB-860',
        codes: ['GB-860'],
        quantity: 12_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: {
      scianCodes: ['332320', '3324', '332810'],
      processTags: ['sheet-metal-fabrication', 'laser-cutting', 'painting-powder-coating'],
    },
    mustHaveCertificates: [ISO9001],
    near: { region: 'guadalajara', radiusKm: 450 },
    volume: { unit: 'units-per-month', amountPerMonth: 2_000 },
    weeks: 9,
    visibility: 'public',
  },
  {
    buyer: ELEC,
    language: 'en',
    title: 'Die-cast aluminium heatsinks for LED drivers and power supplies',
    description:
      'Three heatsink housings in ADC12 / A380, high-pressure die cast, trimmed, deburred, with tapped holes and a ' +
      'machined thermal pad face (flatness 0.1 mm); black powder coat on two of them. 12,000 pieces a month. ' +
      'ISO 9001 required. Dies quoted separately. Plants within reach of Guadalajara, the Bajío or San Luis Potosí; ' +
      'please state the tonnage of the die-casting cells you would use.',
    items: [
      {
        description: 'LED driver heatsink, ADC12 HPDC, drawing HS-330',
        codes: ['HS-330'],
        quantity: 72_000,
        unit: 'pcs/year',
      },
      {
        description: 'Power supply housing, A380 HPDC, powder coated, drawing HS-350',
        codes: ['HS-350'],
        quantity: 72_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['331520'], processTags: ['die-casting'] },
    mustHaveCertificates: [ISO9001],
    near: { region: 'guadalajara', radiusKm: 550 },
    volume: { unit: 'units-per-month', amountPerMonth: 12_000 },
    weeks: 10,
    visibility: 'public',
  },
  {
    buyer: ELEC,
    language: 'es',
    title: 'Bobinado de transformadores e inductores de potencia para fuentes conmutadas',
    description:
      'Cotización de 5 componentes magnéticos: transformador de alta frecuencia (núcleo ETD39, 100 kHz), 2 ' +
      'inductores toroidales de 150 µH y 2 bobinas de modo común. Alambre magneto clase H, barniz por ' +
      'impregnación al vacío, prueba de hipot a 3 kV y de inductancia al 100 %. 8,000 juegos al mes. Requisito: ' +
      'ISO 9001. Cualquier región de México; entrega en El Salto, Jalisco.',
    items: [
      {
        description: 'Transformador ETD39, 400 W, plano MG-3901',
        codes: ['MG-3901'],
        quantity: 96_000,
        unit: 'pzas/año',
      },
      {
        description: 'Inductor toroidal 150 µH 12 A, plano MG-1150',
        codes: ['MG-1150'],
        quantity: 192_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: {
      scianCodes: ['335311', '335312', '334410'],
      processTags: ['electromechanical-assembly'],
    },
    mustHaveCertificates: [ISO9001],
    volume: { unit: 'units-per-month', amountPerMonth: 8_000 },
    weeks: 5,
    visibility: 'public',
  },
  {
    buyer: ELEC,
    language: 'en',
    title: 'Protective packaging: corrugated shippers and polyethylene foam inserts',
    description:
      'For the SME members of the subcontracting bureaus: single- and double-wall corrugated shippers (ECT 32 and ' +
      '44) with die-cut polyethylene or polyurethane foam inserts for finished network equipment, printed two ' +
      'colours with handling symbols. 15,000 kits a month in 4 sizes, weekly deliveries to El Salto, Jalisco, ' +
      'with two weeks of consignment stock. Drop-test report (ISTA 2A) with the samples.',
    items: [
      {
        description: 'Shipper kit for gateway, double wall with PE foam end caps, spec PK-G100',
        codes: ['PK-G100'],
        quantity: 120_000,
        unit: 'kits/year',
      },
      {
        description: 'Shipper kit for router, single wall with PU foam insert, spec PK-R200',
        codes: ['PK-R200'],
        quantity: 60_000,
        unit: 'kits/year',
      },
    ],
    capabilities: { scianCodes: ['322210', '326140', '326150'], processTags: ['packaging'] },
    mustHaveCertificates: [],
    sizePreference: 'sme-only',
    near: { region: 'guadalajara', radiusKm: 400 },
    volume: { unit: 'units-per-month', amountPerMonth: 15_000 },
    weeks: 3,
    visibility: 'bureaus',
  },
  {
    buyer: ELEC,
    language: 'es',
    title: 'Etiquetas de identificación, placas de datos y serigrafía para producto electrónico',
    description:
      'Etiquetas de poliéster con adhesivo acrílico (UL 969) para placa de datos, etiquetas de número de serie ' +
      'con código 2D para impresión térmica en nuestra línea, y serigrafía de carátulas de policarbonato. 200,000 ' +
      'etiquetas al mes. Se prefieren proveedores PyME. Entrega semanal en Guadalajara; muestras para validación ' +
      'de adherencia y resistencia a solventes.',
    items: [
      {
        description: 'Etiqueta placa de datos, poliéster plata 60×40 mm, UL 969, plano LB-6040',
        codes: ['LB-6040'],
        quantity: 1_200_000,
        unit: 'pzas/año',
      },
      {
        description: 'Carátula de policarbonato serigrafiada a 4 tintas, plano OV-210',
        codes: ['OV-210'],
        quantity: 240_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['323119', '323120'], processTags: ['printing-labels'] },
    mustHaveCertificates: [],
    niceToHaveCertificates: [ISO9001],
    sizePreference: 'prefer-sme',
    near: { region: 'guadalajara', radiusKm: 600 },
    volume: { unit: 'units-per-month', amountPerMonth: 200_000 },
    weeks: 4,
    visibility: 'public',
  },
  {
    buyer: ELEC,
    language: 'en',
    title: 'Automated end-of-line test fixtures (ICT and functional), build to print',
    description:
      'Invitation-only: six end-of-line test stations for our SMT lines — bed-of-nails ICT fixtures with pneumatic ' +
      'actuation, functional test enclosures with shielding, PLC-controlled part handling and traceability to our ' +
      'MES. Mechanical design is ours; the supplier details, builds, wires and validates (GR&R ≤ 10 %). About 300 ' +
      'machine-hours a month over five months. ISO 9001 preferred. Installation in Guadalajara.',
    items: [
      {
        description: 'ICT bed-of-nails fixture for CB-600, drawing TF-600',
        codes: ['TF-600'],
        quantity: 3,
        unit: 'pcs',
      },
      {
        description: 'Functional test station with PLC handling, drawing TF-900',
        codes: ['TF-900'],
        quantity: 3,
        unit: 'pcs',
      },
    ],
    capabilities: {
      scianCodes: ['333999', '333249', '541330'],
      processTags: ['machine-building', 'industrial-automation'],
    },
    mustHaveCertificates: [],
    niceToHaveCertificates: [ISO9001],
    volume: { unit: 'machine-hours-per-month', amountPerMonth: 300 },
    weeks: 10,
    visibility: 'invited',
  },

  // ——— Demo Dispositivos Médicos Baja California: disposables, instruments and electronics ———
  {
    buyer: MED,
    language: 'en',
    title: 'Medical-grade injection moulding of polycarbonate luer housings (ISO 13485)',
    description:
      'Three components of an IV connector: luer-lock housing and cap in medical-grade polycarbonate (USP Class ' +
      'VI, ISO 10993 biocompatible), and a valve seat in copolyester. Moulding in an ISO Class 8 cleanroom, ' +
      'validated process (IQ/OQ/PQ), 100 % vision inspection of the luer thread, lot traceability. 250,000 pieces ' +
      'a month. ISO 13485 is mandatory. Double-bagged, 1,000 pieces per bag, delivery to Tijuana.',
    items: [
      {
        description: 'Luer-lock housing, medical PC, drawing LL-1010',
        codes: ['LL-1010'],
        quantity: 1_500_000,
        unit: 'pcs/year',
      },
      {
        description: 'Luer cap, medical PC, drawing LL-1020',
        codes: ['LL-1020'],
        quantity: 1_500_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['3391', '326199'], processTags: ['injection-moulding'] },
    mustHaveCertificates: [ISO13485],
    niceToHaveCertificates: [ISO14001],
    near: { region: 'tijuana', radiusKm: 1_500 },
    volume: { unit: 'units-per-month', amountPerMonth: 250_000 },
    weeks: 8,
    visibility: 'public',
  },
  {
    buyer: MED,
    language: 'es',
    title: 'Extrusión de tubo médico de PVC y TPU grado médico (USP Clase VI)',
    description:
      'Tubo extruido para líneas de infusión: PVC sin DEHP (DI 3.0 × DE 4.1 mm) y TPU (DI 1.0 × DE 2.0 mm) con ' +
      'tolerancia ±0.05 mm en diámetros, medición láser en línea, corte a longitud y embobinado. Materiales USP ' +
      'Clase VI, validación de proceso y certificado de análisis por lote. Aproximadamente 5 toneladas al mes. ' +
      'ISO 13485 obligatorio. Cualquier región de México; entrega en Tijuana.',
    items: [
      {
        description: 'Tubo de PVC sin DEHP 3.0×4.1 mm, especificación TB-3041',
        codes: ['TB-3041'],
        quantity: 48_000,
        unit: 'kg/año',
      },
      {
        description: 'Microtubo de TPU 1.0×2.0 mm, especificación TB-1020',
        codes: ['TB-1020'],
        quantity: 12_000,
        unit: 'kg/año',
      },
    ],
    capabilities: { scianCodes: ['326120', '3391'], processTags: ['plastic-extrusion'] },
    mustHaveCertificates: [ISO13485],
    volume: { unit: 'kg-per-month', amountPerMonth: 5_000 },
    weeks: 9,
    visibility: 'public',
  },
  {
    buyer: MED,
    language: 'en',
    title: 'Thermoformed PETG trays and sterile-barrier packaging (ISO 11607)',
    description:
      'Thermoformed PETG trays (0.75 mm) with Tyvek lids for procedure kits, plus die-cut corrugated shippers. ' +
      'Seal-strength and dye-penetration testing per ASTM F88 / F1929, packaging validation support to ISO 11607, ' +
      'compatibility with EtO sterilisation. 40,000 trays a month in two sizes. ISO 9001 required, ISO 13485 ' +
      'preferred. Delivery to Tijuana; suppliers in the north-west preferred.',
    items: [
      {
        description: 'PETG tray 250×180×40 mm with Tyvek lid, drawing TR-2518',
        codes: ['TR-2518'],
        quantity: 300_000,
        unit: 'pcs/year',
      },
      {
        description: 'PETG tray 300×220×60 mm with Tyvek lid, drawing TR-3022',
        codes: ['TR-3022'],
        quantity: 180_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['326193', '322299', '322210'], processTags: ['packaging'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [ISO13485],
    near: { region: 'tijuana', radiusKm: 1_500 },
    volume: { unit: 'units-per-month', amountPerMonth: 40_000 },
    weeks: 6,
    visibility: 'public',
  },
  {
    buyer: MED,
    language: 'es',
    title: 'Maquinado tipo suizo de componentes de acero inoxidable 316L para instrumental quirúrgico',
    description:
      'Componentes torneados para instrumental de laparoscopía: ejes, puntas y conectores en acero inoxidable 316L ' +
      'y 17-4PH, diámetros de 2 a 12 mm, tolerancias ±0.01 mm, acabado Ra 0.4 µm, roscas M2–M6. Torno tipo suizo ' +
      'con alimentador de barra, desbarbado y limpieza ultrasónica, pasivado por proveedor aprobado. 10,000 piezas ' +
      'al mes. Requisito: ISO 9001; ISO 13485 deseable. Cualquier región de México; entrega en Tijuana, empaque ' +
      'individual.',
    items: [
      {
        description: 'Eje de instrumento 5 mm, 316L, plano SI-0520',
        codes: ['SI-0520'],
        quantity: 60_000,
        unit: 'pzas/año',
      },
      {
        description: 'Conector de irrigación, 17-4PH, plano SI-0741',
        codes: ['SI-0741'],
        quantity: 60_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['3327', '339111'], processTags: ['turning', 'cnc-machining'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [ISO13485],
    volume: { unit: 'units-per-month', amountPerMonth: 10_000 },
    weeks: 7,
    visibility: 'public',
  },
  {
    buyer: MED,
    language: 'es',
    title: 'Electropulido y pasivado (ASTM A967) de instrumental de acero inoxidable',
    description:
      'Servicio de electropulido y pasivado con ácido cítrico según ASTM A967 / ASTM B912 para instrumental ' +
      'quirúrgico y componentes de 316L y 17-4PH. Prueba de humedad y de sulfato de cobre por lote, limpieza final ' +
      'con agua desionizada y empaque en bolsa de polietileno limpia. Aproximadamente 1.5 toneladas al mes, ciclo ' +
      'de 3 días. Requisito: ISO 9001. Recolección en Tijuana.',
    items: [
      {
        description: 'Electropulido de tijeras y pinzas, 316L, especificación EP-316',
        codes: ['EP-316'],
        quantity: 12_000,
        unit: 'kg/año',
      },
      {
        description: 'Pasivado cítrico de componentes 17-4PH, especificación PS-174',
        codes: ['PS-174'],
        quantity: 6_000,
        unit: 'kg/año',
      },
    ],
    capabilities: { scianCodes: ['332810'], processTags: ['plating'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [ISO13485],
    near: { region: 'tijuana', radiusKm: 1_500 },
    volume: { unit: 'kg-per-month', amountPerMonth: 1_500 },
    weeks: 4,
    visibility: 'public',
  },
  {
    buyer: MED,
    language: 'en',
    title: 'Liquid silicone rubber (LSR) seals and valves for infusion sets',
    description:
      'Two LSR parts for an infusion set: a duckbill check valve and a septum seal, 40 and 50 Shore A, medical-' +
      'grade silicone (USP Class VI), post-cured, 100 % leak-tested valves. 100,000 pieces a month. ISO 9001 ' +
      'required; ISO 13485 strongly preferred. Cleanroom moulding is a plus. Any region in Mexico; delivery to ' +
      'Tijuana.',
    items: [
      {
        description: 'Duckbill check valve, LSR 40 ShA, drawing DV-0402',
        codes: ['DV-0402'],
        quantity: 600_000,
        unit: 'pcs/year',
      },
      {
        description: 'Septum seal, LSR 50 ShA, drawing SS-0510',
        codes: ['SS-0510'],
        quantity: 600_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['326290'], processTags: ['rubber-moulding'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [ISO13485],
    volume: { unit: 'units-per-month', amountPerMonth: 100_000 },
    weeks: 10,
    visibility: 'public',
  },
  {
    buyer: MED,
    language: 'es',
    title: 'Ensamble de tarjetas electrónicas para monitores de signos vitales',
    description:
      'Sólo por invitación: ensamble SMT y THT de 3 tarjetas para monitor de signos vitales (tarjeta principal de ' +
      '8 capas con BGA, tarjeta de oximetría y tarjeta de fuente). IPC-A-610 clase 3, AOI y rayos X, prueba en ' +
      'circuito y funcional con nuestros equipos, recubrimiento conformal. 3,000 juegos al mes. Requisito: ' +
      'ISO 9001; ISO 13485 deseable. Entrega en Tijuana en charolas ESD.',
    items: [
      {
        description: 'Tarjeta principal de monitor, 8 capas, ensamble VS-MAIN-08',
        codes: ['VS-MAIN-08'],
        quantity: 36_000,
        unit: 'pzas/año',
      },
      {
        description: 'Tarjeta de oximetría, ensamble VS-SPO2-02',
        codes: ['VS-SPO2-02'],
        quantity: 36_000,
        unit: 'pzas/año',
      },
    ],
    capabilities: { scianCodes: ['334410'], processTags: ['pcb-assembly-smt'] },
    mustHaveCertificates: [ISO9001],
    niceToHaveCertificates: [ISO13485],
    near: { region: 'tijuana', radiusKm: 1_500 },
    volume: { unit: 'units-per-month', amountPerMonth: 3_000 },
    weeks: 8,
    visibility: 'invited',
  },
  {
    buyer: MED,
    language: 'en',
    title: 'Corrugated shippers, labels and printed instructions for disposable kits',
    description:
      'Printed corrugated shippers (B and C flute), GS1-128 / UDI labels and folded instructions for use (IFU, ' +
      'bilingual, 8 pages) for our disposable procedure kits. 60,000 shippers and 250,000 IFUs a month. Small and ' +
      'medium suppliers only; label-material compliance with ISO 15223-1 symbols. Weekly deliveries to Tijuana.',
    items: [
      {
        description: 'Printed corrugated shipper, C flute, 2 colours, spec CS-4030',
        codes: ['CS-4030'],
        quantity: 720_000,
        unit: 'pcs/year',
      },
      {
        description: 'Bilingual IFU leaflet, 8 pages folded, spec IFU-08',
        codes: ['IFU-08'],
        quantity: 3_000_000,
        unit: 'pcs/year',
      },
    ],
    capabilities: { scianCodes: ['322210', '323119'], processTags: ['packaging', 'printing-labels'] },
    mustHaveCertificates: [],
    niceToHaveCertificates: [ISO9001],
    sizePreference: 'sme-only',
    volume: { unit: 'units-per-month', amountPerMonth: 60_000 },
    weeks: 5,
    visibility: 'public',
  },
  {
    buyer: MED,
    language: 'es',
    title: 'Ensamble en cuarto limpio ISO 7 de kits desechables para procedimientos',
    description:
      'Maquila de ensamble y empaque de kits desechables (jeringas, llaves de tres vías, extensiones y gasas) en ' +
      'cuarto limpio ISO clase 7, sellado de charola con Tyvek y etiquetado UDI; la esterilización con óxido de ' +
      'etileno la contratamos nosotros. 50,000 kits al mes en 4 configuraciones. ISO 13485 obligatorio; ' +
      'experiencia con dispositivos clase II. Planta en Baja California, Sonora o Chihuahua.',
    items: [
      {
        description: 'Kit de acceso vascular, 9 componentes, configuración KT-110',
        codes: ['KT-110'],
        quantity: 360_000,
        unit: 'kits/año',
      },
      {
        description: 'Kit de curación, 6 componentes, configuración KT-205',
        codes: ['KT-205'],
        quantity: 240_000,
        unit: 'kits/año',
      },
    ],
    capabilities: { scianCodes: ['3391'], processTags: [] },
    mustHaveCertificates: [ISO13485],
    near: { region: 'tijuana', radiusKm: 1_500 },
    volume: { unit: 'units-per-month', amountPerMonth: 50_000 },
    weeks: 6,
    visibility: 'public',
  },
];

const mexicoCity = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Mexico_City',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today on the Mexico City calendar (the matching service's calendar for deadlines), as YYYY-MM-DD. */
export function todayInMexicoCity(now: Date = new Date()): string {
  return mexicoCity.format(now);
}

/** YYYY-MM-DD plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The POST body of one demo requirement, its deadline `weeks` after `today` (YYYY-MM-DD). */
export function requirementBody(r: DemoRequirement, today: string): RequirementInput {
  const { buyer: _buyer, language: _language, weeks, near, ...rest } = r;
  const region = near ? REGIONS[near.region] : undefined;
  return {
    ...rest,
    location: near && region ? { lat: region.lat, lon: region.lon, radiusKm: near.radiusKm } : null,
    deadline: addDays(today, weeks * 7),
  };
}
