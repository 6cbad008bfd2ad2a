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

// Longest first; a suffix is stripped only when at least MIN_STEM characters remain. Deliberately light
// (no vowel-region rules like Snowball): it only needs to bring inflections of one word together, and
// over-stemming merges unrelated words, which costs precision in the index.
const SUFFIXES: readonly string[] = [
  'amientos', 'imientos', 'aciones', 'uciones', 'iciones', 'amiento', 'imiento', 'idades', 'adoras', 'adores',
  'ciones', 'encias', 'ancias', 'acion', 'ucion', 'icion', 'mente', 'adora', 'ador', 'idad', 'encia', 'ancia',
  'istas', 'ismos', 'ables', 'ibles', 'ista', 'ismo', 'able', 'ible', 'ivas', 'ivos', 'ados', 'adas', 'idos',
  'idas', 'ings', 'ness', 'ment', 'ies', 'ado', 'ada', 'ido', 'ida', 'iva', 'ivo', 'ing', 'ers', 'ed', 'es',
  'er', 's', 'a', 'o', 'e',
];
const MIN_STEM = 3;

const stemCache = new Map<string, string>();

/** Light Spanish/English suffix stripping over a folded token; digits and short tokens stay as they are. */
export function stem(token: string): string {
  if (token.length <= MIN_STEM || /\d/.test(token)) return token;
  const cached = stemCache.get(token);
  if (cached !== undefined) return cached;
  let out = token;
  for (const s of SUFFIXES) {
    if (token.length - s.length >= MIN_STEM && token.endsWith(s)) {
      out = token.slice(0, -s.length);
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
