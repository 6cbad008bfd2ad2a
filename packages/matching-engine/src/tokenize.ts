import { foldText } from '@vinculo/taxonomy';

// Function words of Spanish and English, already folded. Procurement boilerplate ("servicio", "contratacion")
// is left in on purpose: BM25's IDF discounts it per corpus, which a fixed list cannot.
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a al algo algun alguna algunas alguno algunos ante antes como con contra cual cuales cuando de del desde donde ' +
    'durante e el ella ellas ellos en entre era eran es esa esas ese eso esos esta estas este esto estos fue fueron ' +
    'ha han hasta hay la las le les lo los mas me mi mis muy ni no nos o otra otras otro otros para pero por que ' +
    'se segun sera ser si sin sino sobre son su sus tal tambien tan te tiene tienen toda todas todo todos tu u un ' +
    'una unas uno unos y ya ' +
    'an and are as at be been but by for from has have if in into is it its of on or our such that the their them ' +
    'then there these they this those to was were which while will with within without you your'
  ).split(' '),
);

// Two light steps (no vowel-region rules like Snowball): drop a plural, then one derivational or final-vowel
// suffix, longest first, keeping at least MIN_STEM characters. It only needs to bring the inflections of one
// word together ("servicios", "servicio"; "machining", "machines"); over-stemming would merge unrelated words.
const SUFFIXES: readonly string[] = [
  'amiento',
  'imiento',
  'acion',
  'ucion',
  'icion',
  'mente',
  'adora',
  'ador',
  'idad',
  'encia',
  'ancia',
  'ista',
  'ismo',
  'able',
  'ible',
  'ness',
  'ment',
  'ado',
  'ada',
  'ido',
  'ida',
  'iva',
  'ivo',
  'ing',
  'ed',
  'er',
  'a',
  'o',
  'e',
  'i',
];
const MIN_STEM = 3;

function dropPlural(t: string): string {
  if (
    t.length <= MIN_STEM + 1 ||
    !t.endsWith('s') ||
    t.endsWith('ss') ||
    t.endsWith('us') ||
    t.endsWith('is')
  )
    return t;
  // "-es" after a consonant is the Spanish/English plural ("reparaciones", "boxes"); otherwise only the "s".
  if (t.endsWith('es') && t.length - 2 >= MIN_STEM && !/[aeiou]/.test(t.charAt(t.length - 3)))
    return t.slice(0, -2);
  return t.slice(0, -1);
}

const stemCache = new Map<string, string>();

/** Light Spanish/English suffix stripping over a folded token; digits and short tokens stay as they are. */
export function stem(token: string): string {
  if (token.length <= MIN_STEM || /\d/.test(token)) return token;
  const cached = stemCache.get(token);
  if (cached !== undefined) return cached;
  let out = dropPlural(token);
  for (const s of SUFFIXES) {
    if (out.length - s.length >= MIN_STEM && out.endsWith(s)) {
      out = out.slice(0, -s.length);
      break;
    }
  }
  // Bounded so a long-lived process indexing arbitrary text cannot grow it without limit.
  if (stemCache.size < 200_000) stemCache.set(token, out);
  return out;
}

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}

/** Accent-folded, lower-cased, stop words dropped, stemmed terms in text order. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of foldText(text).split(/[^a-z0-9]+/)) {
    if (raw.length < 2 || STOP_WORDS.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

/** A word in which the source lost a character: letters on both sides of "?" or U+FFFD ("M?xico"). */
const BROKEN_WORD = /[\p{L}\p{N}]*\p{L}[?\uFFFD]+\p{L}[\p{L}\p{N}?\uFFFD]*/gu;

/**
 * `tokenize` without the words whose encoding lost a character. Their fragments ("m?xico" → "xico") cannot
 * match the correct spelling and only match records broken the same way, i.e. from the same export: they
 * measure provenance, not the work. Used by the matching criteria; `tokenize` itself keeps them.
 */
export function tokenizeClean(text: string): string[] {
  // Most text has neither character: skip the (Unicode, backtracking) pattern then.
  const broken = text.includes('?') || text.includes('\uFFFD');
  return tokenize(broken ? text.replace(BROKEN_WORD, ' ') : text);
}
