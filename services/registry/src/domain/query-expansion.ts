/**
 * Free text in Spanish or English → what supplier search matches. Profiles keep an accent-folded search_text
 * (name, descriptions, SCIAN titles, process tag names and synonyms in both languages, materials, track record),
 * so a query is folded the same way, stripped of stop words and lightly stemmed, and expanded through the
 * bilingual process catalogue: an English "machining" finds the cnc-machining tag, whose Spanish names and
 * synonyms ("maquinado", "mecanizado") then match a profile written only in Spanish. SCIAN class titles
 * (Spanish) add class codes the query names.
 *
 * Terms are plain [a-z0-9] words, so the tsquery text built from them needs no escaping.
 */
import { findProcessTags, foldTokens, searchScian } from '@vinculo/taxonomy';

const STOP_WORDS: ReadonlySet<string> = new Set([
  // Spanish
  'a',
  'al',
  'ante',
  'con',
  'contra',
  'de',
  'del',
  'desde',
  'e',
  'el',
  'en',
  'entre',
  'es',
  'esta',
  'este',
  'hacia',
  'hasta',
  'la',
  'las',
  'lo',
  'los',
  'mas',
  'o',
  'para',
  'pero',
  'por',
  'que',
  'se',
  'sin',
  'sobre',
  'su',
  'sus',
  'u',
  'un',
  'una',
  'unas',
  'unos',
  'y',
  'otro',
  'otra',
  'otros',
  'otras',
  'muy',
  'como',
  // English
  'an',
  'and',
  'any',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'into',
  'is',
  'it',
  'its',
  'of',
  'on',
  'or',
  'our',
  'that',
  'the',
  'their',
  'this',
  'to',
  'with',
  'we',
  'who',
]);

// Longest first. Every rule only removes a suffix, so a stem is a prefix of its word and `stem:*` still
// matches the word itself; the rules are deliberately few: prefix matching absorbs what they miss.
const SUFFIXES: readonly string[] = [
  'amientos',
  'imientos',
  'amiento',
  'imiento',
  'aciones',
  'iciones',
  'ations',
  'ation',
  'acion',
  'icion',
  'iendo',
  'ando',
  'ados',
  'adas',
  'idos',
  'idas',
  'ado',
  'ada',
  'ido',
  'ida',
  'ings',
  'ing',
  'ies',
  'ed',
];
const MIN_STEM = 4;
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** Strips one common Spanish or English verb/noun ending or a plural; never below four letters. */
export function stem(word: string): string {
  for (const s of SUFFIXES) {
    if (word.endsWith(s) && word.length - s.length >= MIN_STEM) return word.slice(0, -s.length);
  }
  // Spanish plural after a consonant ("inyecciones" → "inyeccion", "metales" → "metal").
  if (word.endsWith('es') && word.length - 2 >= MIN_STEM && !VOWELS.has(word.charAt(word.length - 3))) {
    return word.slice(0, -2);
  }
  // Plain plural, but not "-ss" ("process") nor "-us"/"-is".
  if (word.endsWith('s') && word.length - 1 >= MIN_STEM && !/(ss|us|is)$/.test(word))
    return word.slice(0, -1);
  return word;
}

/** Folded, stop words dropped, stemmed, deduplicated; only [a-z0-9] words of two or more characters. */
export function queryTerms(text: string): string[] {
  const out = new Set<string>();
  for (const t of foldTokens(text)) {
    if (t.length < 2 || !/^[a-z0-9]+$/.test(t) || STOP_WORDS.has(t)) continue;
    out.add(stem(t));
  }
  return [...out];
}

export interface ExpandedQuery {
  /** The query's own stemmed words. */
  terms: string[];
  /** Names and synonyms of the process tags the query names, each a phrase of words (stemmed unless stop words). */
  phrases: string[][];
  /** Process tag ids the query names: profiles carrying them match directly. */
  tagIds: string[];
  /** SCIAN classes whose title covers every query word. */
  scianCodes: string[];
  /** PostgreSQL to_tsquery('simple', …) text: an OR of prefix terms and phrases; null when nothing is left. */
  tsquery: string | null;
  /** The folded query, for the trigram fallback (typos). */
  folded: string;
}

const MAX_TAGS = 6;
const MAX_PHRASES = 60;
const MAX_TERMS = 16;
const MAX_SCIAN = 5;

export function expandQuery(text: string): ExpandedQuery {
  const terms = queryTerms(text).slice(0, MAX_TERMS);
  const tags = findProcessTags(text).slice(0, MAX_TAGS);
  const phrases: string[][] = [];
  const seen = new Set<string>(terms);
  for (const tag of tags) {
    for (const name of [tag.es, tag.en, ...tag.synonyms]) {
      const words = phraseWords(name);
      const key = words.join(' ');
      if (words.length === 0 || seen.has(key)) continue;
      seen.add(key);
      phrases.push(words);
    }
  }
  const scianCodes = terms.length === 0 ? [] : scianClassesNamedBy(terms);
  const parts = [
    ...terms.map((t) => `${t}:*`),
    ...phrases
      .slice(0, MAX_PHRASES)
      .map((p) => (p.length === 1 ? `${p[0]}:*` : `(${p.map(phraseTerm).join(' <-> ')})`)),
  ];
  return {
    terms,
    phrases: phrases.slice(0, MAX_PHRASES),
    tagIds: tags.map((t) => t.id),
    scianCodes,
    tsquery: parts.length > 0 ? parts.join(' | ') : null,
    folded: foldTokens(text).join(' ').slice(0, 200),
  };
}

/**
 * A catalogue name as a phrase: stop words stay (the profile text keeps them, so "inyeccion de plastico" stays
 * adjacent), other words are stemmed and prefix-matched.
 */
function phraseWords(name: string): string[] {
  const words = foldTokens(name).filter((t) => /^[a-z0-9]+$/.test(t));
  if (words.every((w) => STOP_WORDS.has(w))) return [];
  return words.map((w) => (STOP_WORDS.has(w) ? w : stem(w)));
}

function phraseTerm(w: string): string {
  return STOP_WORDS.has(w) ? w : `${w}:*`;
}

function scianClassesNamedBy(terms: string[]): string[] {
  return searchScian(terms.join(' '), 20)
    .filter((e) => e.level === 'clase')
    .filter((e) => {
      const words = foldTokens(e.title);
      return terms.every((t) => words.some((w) => w.startsWith(t)));
    })
    .slice(0, MAX_SCIAN)
    .map((e) => e.code);
}
