/**
 * Legal-entity suffixes of Mexican company names. A razón social without one may be a natural person (a sole
 * proprietor registers under their own name): such names are personal data and are never shown.
 */

const SEP = String.raw`[\s.,]*`;
const word = (letters: string): string => letters.split('').join(String.raw`\.?\s*`) + String.raw`\.?`;

// Each alternative is a legal form written with or without dots and spaces: "SA de CV", "S.A. de C.V.",
// "S. de R.L.", "SAPI de CV", "S.C.", "A.C.", "S.P.R. de R.L.", "SAB de CV", "S.A.S.", "S.C. de R.L.", "I.A.P." …
const FORMS = [
  `${word('sapi')}(${SEP}de${SEP}${word('cv')})?`,
  `${word('sab')}(${SEP}de${SEP}${word('cv')})?`,
  `${word('sas')}(${SEP}de${SEP}${word('cv')})?`,
  `${word('sa')}(${SEP}de${SEP}${word('cv')})?`,
  `${word('s')}${SEP}de${SEP}${word('rl')}(${SEP}(mi|de)${SEP}${word('cv')})?`,
  `${word('spr')}(${SEP}de${SEP}(${word('rl')}|${word('ri')}|${word('ril')}))?`,
  `${word('sc')}(${SEP}de${SEP}(${word('rl')}|${word('ri')}|${word('cv')}|${word('ps')}))?`,
  `${word('sc')}${word('l')}`,
  word('ac'),
  word('iap'),
  word('abp'),
  word('scp'),
  `${word('s')}${SEP}en${SEP}${word('c')}(${word('s')})?(${SEP}de${SEP}${word('cv')})?`,
  String.raw`sociedad\s+an[oó]nima`,
  String.raw`sociedad\s+civil`,
  String.raw`sociedad\s+cooperativa`,
  String.raw`asociaci[oó]n\s+civil`,
  String.raw`de\s+c\.?\s*v\.?`,
];

const FORM = `(?:${FORMS.join('|')})`;

/**
 * Matches a legal form as a separate token (after a space or comma; followed by the end, a comma, a space or a
 * parenthesis), ignoring case, dots and spacing: "ACME, S.A. DE C.V.", "ACME SA DE CV (PLANTA 2)".
 */
export const LEGAL_ENTITY_SUFFIX = new RegExp(String.raw`[\s,]${FORM}(?=[\s.,]*$|[\s.,]*[,(]|\s)`, 'i');

/** A legal form at the very start of a text, then a comma or the end: "S.A. DE C.V.,PLANTA NORTE". */
const LEADING_FORM = new RegExp(String.raw`^\s*(?<form>${FORM})[\s.]*(?:,(?<rest>[\s\S]*))?$`, 'i');

/**
 * The RETC file was split at the first comma of the razón social, so "ACME, S.A. DE C.V." often arrives as
 * razon_social "ACME" and nombre_establecimiento "S.A. DE C.V.,PLANTA NORTE". Moves the legal form back and
 * keeps what follows as the establishment name ('' when nothing does).
 */
export function repairShiftedForm(
  razonSocial: string,
  establishment: string,
): { razonSocial: string; establishment: string } {
  const m = LEADING_FORM.exec(establishment);
  if (!m || hasLegalEntitySuffix(razonSocial))
    return { razonSocial: collapse(razonSocial), establishment: tidy(establishment) };
  return {
    razonSocial: `${collapse(razonSocial)}, ${collapse(m.groups?.form ?? '')}`,
    establishment: tidy(m.groups?.rest ?? ''),
  };
}

/** Spaces collapsed; stray commas, dots and dashes at either end dropped. */
export function tidy(s: string): string {
  return collapse(s)
    .replace(/^[\s,.;:-]+|[\s,;:-]+$/g, '')
    .trim();
}

// Words that name an institution or a public body rather than a person, even without a legal form.
const INSTITUTIONAL = new RegExp(
  String.raw`\b(gobierno|municipio|ayuntamiento|secretar[ií]a|comisi[oó]n|instituto|universidad|petr[oó]leos|pemex|cfe|federal|estatal|ejido|ejidal|cooperativa|organismo|sistema|junta|servicios\s+de\s+salud|hospital|grupo|industrias?|compa[nñ][ií]a|corporaci[oó]n|empresa|planta|f[aá]brica)\b`,
  'i',
);

/** true when the name carries a legal-entity form (SA de CV, S de RL, SAPI, SC, AC …). */
export function hasLegalEntitySuffix(razonSocial: string): boolean {
  return LEGAL_ENTITY_SUFFIX.test(collapse(razonSocial));
}

/** true when the name may be a natural person's: no legal form and no institutional word. */
export function mayBeNaturalPerson(razonSocial: string): boolean {
  const name = collapse(razonSocial);
  return !hasLegalEntitySuffix(name) && !INSTITUTIONAL.test(name);
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The grouping key of a razón social: trimmed, spaces collapsed, accents and case folded. */
export function groupKey(razonSocial: string): string {
  return collapse(razonSocial)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLocaleLowerCase('es-MX');
}
