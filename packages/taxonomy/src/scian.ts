import { readFileSync } from 'node:fs';
import { parseCsv } from './csv.js';
import { foldTokens } from './text.js';

export type ScianLevel = 'sector' | 'subsector' | 'rama' | 'subrama' | 'clase';

export interface ScianEntry {
  /** As in the INEGI file: 2 digits per sector except the ranges '31-33' and '48-49'; 6 digits per clase. */
  readonly code: string;
  readonly level: ScianLevel;
  readonly title: string;
  readonly description: string;
  /** null for sectors. */
  readonly parent: string | null;
}

interface Catalogue {
  byCode: Map<string, ScianEntry>;
  /** Two-digit prefix → sector code, because manufacturing and transport sectors are ranges. */
  sectorOfPrefix: Map<string, string>;
  /** Sorted by code, so "first descendant" is deterministic. */
  classes: ScianEntry[];
  titleTokens: Map<string, string[]>;
}

const LEVELS: ReadonlySet<string> = new Set<ScianLevel>(['sector', 'subsector', 'rama', 'subrama', 'clase']);
const SEE_ALSO = /^Véase la descripción de la categoría (\d+)\.?$/;

let catalogue: Catalogue | undefined;

function load(): Catalogue {
  if (catalogue) return catalogue;
  // Resolved against this module so it works both from src/ (tests) and dist/ (consumers).
  const text = readFileSync(new URL('../data/scian_2023_mx.csv', import.meta.url), 'utf8');
  const [header, ...rows] = parseCsv(text);
  const col = (name: string): number => {
    const k = header?.indexOf(name) ?? -1;
    if (k < 0) throw new Error(`scian: column ${name} missing from scian_2023_mx.csv`);
    return k;
  };
  const cCode = col('codigo');
  const cLevel = col('nivel');
  const cTitle = col('titulo');
  const cDesc = col('descripcion');

  const sectorOfPrefix = new Map<string, string>();
  const raw: { code: string; level: ScianLevel; title: string; description: string }[] = [];
  for (const r of rows) {
    const code = (r[cCode] ?? '').trim();
    const level = r[cLevel] ?? '';
    if (!code || !LEVELS.has(level)) continue;
    raw.push({ code, level: level as ScianLevel, title: r[cTitle] ?? '', description: r[cDesc] ?? '' });
    if (level === 'sector') {
      const [from, to = from] = code.split('-').map(Number);
      if (from === undefined || to === undefined) continue;
      for (let s = from; s <= to; s++) sectorOfPrefix.set(String(s), code);
    }
  }

  const byCode = new Map<string, ScianEntry>();
  for (const e of raw) byCode.set(e.code, { ...e, parent: parentCode(e.code, e.level, sectorOfPrefix) });
  // Single-class subramas only point at their clase ("Véase la descripción de la categoría 111110.");
  // callers want the text itself.
  for (const [code, e] of byCode) {
    const see = SEE_ALSO.exec(e.description.trim());
    const target = see?.[1] ? byCode.get(see[1]) : undefined;
    if (target) byCode.set(code, { ...e, description: target.description });
  }
  const classes = [...byCode.values()].filter((e) => e.level === 'clase').sort((a, b) => cmp(a.code, b.code));
  const titleTokens = new Map<string, string[]>();
  for (const e of byCode.values()) titleTokens.set(e.code, foldTokens(e.title));
  catalogue = { byCode, sectorOfPrefix, classes, titleTokens };
  return catalogue;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parentCode(code: string, level: ScianLevel, sectorOfPrefix: Map<string, string>): string | null {
  if (level === 'sector') return null;
  if (level === 'subsector') return sectorOfPrefix.get(code.slice(0, 2)) ?? code.slice(0, 2);
  return code.slice(0, -1);
}

function normalise(code: string): string {
  return String(code).trim();
}

/**
 * The entry for a code at any level. A two-digit prefix inside a range sector ('31', '32', '48')
 * resolves to the range ('31-33', '48-49'), since people write "sector 32".
 */
export function scianCode(code: string): ScianEntry | undefined {
  const c = load();
  const k = normalise(code);
  return c.byCode.get(k) ?? (/^\d\d$/.test(k) ? c.byCode.get(c.sectorOfPrefix.get(k) ?? '') : undefined);
}

export function isScianCode(code: string): boolean {
  return scianCode(code) !== undefined;
}

export function isScianClass(code: string): boolean {
  return load().byCode.get(normalise(code))?.level === 'clase';
}

/** Sector → subsector → rama → subrama → the code itself; empty when the code is unknown. */
export function scianAncestors(code: string): ScianEntry[] {
  const c = load();
  const chain: ScianEntry[] = [];
  let e = scianCode(code);
  while (e) {
    chain.unshift(e);
    e = e.parent === null ? undefined : c.byCode.get(e.parent);
  }
  return chain;
}

/** Every clase under a prefix (any level, including '31-33'), sorted by code. */
export function scianDescendantClasses(prefix: string): ScianEntry[] {
  const c = load();
  const p = normalise(prefix);
  const range = /^(\d\d)-(\d\d)$/.exec(p);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    return c.classes.filter((e) => {
      const s = Number(e.code.slice(0, 2));
      return s >= from && s <= to;
    });
  }
  if (!/^\d+$/.test(p)) return [];
  return c.classes.filter((e) => e.code.startsWith(p));
}

export interface NearestScianClass {
  readonly code: string;
  /** true when the input was not itself a 2023 clase and was replaced. */
  readonly mapped: boolean;
}

// Pre-2023 classes whose successor is not their first prefix match: SCIAN 2023 folded subsector 222 (water,
// gas by pipeline) into 221 and renumbered lamps and agave spirits. Titles checked against RETC 2022's own
// desc_scian column; everything else falls back to the prefix rule.
const KNOWN_SUCCESSORS: ReadonlyMap<string, string> = new Map([
  ['222111', '221311'], // Captación, tratamiento y suministro de agua (sector privado)
  ['222112', '221312'], // … (sector público)
  ['222210', '221210'], // Suministro de gas por ductos al consumidor final
  ['335110', '335131'], // Fabricación de focos
  ['335120', '335132'], // Fabricación de lámparas ornamentales
  ['312142', '312144'], // Bebidas destiladas de agave → tequila, the bulk of the old class
]);

/**
 * Maps codes from older SCIAN editions (e.g. 221110, 211110 from 2013/2018, still used in RETC) or
 * coarser levels onto a 2023 clase: a short list of known successors, else the longest prefix that exists
 * in 2023, then its first clase.
 * This is an approximation, not INEGI's concordance table; undefined when not even the sector exists.
 */
export function nearestScian2023Class(code: string): NearestScianClass | undefined {
  const c = load();
  const k = normalise(code);
  if (isScianClass(k)) return { code: k, mapped: false };
  const known = KNOWN_SUCCESSORS.get(k);
  if (known && isScianClass(known)) return { code: known, mapped: true };
  const digits = /^\d+$/.test(k) ? k : (scianCode(k)?.code.slice(0, 2) ?? '');
  for (let len = Math.min(digits.length, 6); len >= 2; len--) {
    const prefix = digits.slice(0, len);
    if (!(len === 2 ? scianCode(prefix) : c.byCode.get(prefix))) continue;
    const first = scianDescendantClasses(prefix)[0];
    if (first) return { code: first.code, mapped: true };
  }
  return undefined;
}

// Words that carry no meaning in SCIAN titles; without this, "de" matches half the catalogue.
const STOPWORDS = new Set([
  'de',
  'del',
  'la',
  'las',
  'el',
  'los',
  'y',
  'e',
  'o',
  'u',
  'a',
  'en',
  'para',
  'por',
  'con',
  'sin',
  'al',
  'otros',
  'otras',
  'otro',
  'otra',
  'excepto',
  'the',
  'of',
  'and',
  'for',
]);

/**
 * Entries whose title contains the query's words (accent- and case-folded), best first: more query words
 * matched, then the more specific level, then the shorter title. A query word of 4+ letters also matches
 * title words it begins ("pieza" → "piezas").
 */
export function searchScian(text: string, limit = 10): ScianEntry[] {
  const c = load();
  const q = [...new Set(foldTokens(text).filter((t) => !STOPWORDS.has(t)))];
  if (q.length === 0 || limit <= 0) return [];
  const depth: Record<ScianLevel, number> = { sector: 0, subsector: 1, rama: 2, subrama: 3, clase: 4 };
  const hits: { e: ScianEntry; score: number }[] = [];
  for (const e of c.byCode.values()) {
    const words = c.titleTokens.get(e.code) ?? [];
    let score = 0;
    for (const t of q) {
      if (words.some((w) => w === t || (t.length >= 4 && w.startsWith(t)))) score++;
    }
    if (score > 0) hits.push({ e, score });
  }
  hits.sort(
    (a, b) =>
      b.score - a.score ||
      depth[b.e.level] - depth[a.e.level] ||
      a.e.title.length - b.e.title.length ||
      cmp(a.e.code, b.e.code),
  );
  return hits.slice(0, limit).map((h) => h.e);
}

/** Every clase, sorted by code. */
export function listScianClasses(): readonly ScianEntry[] {
  return load().classes;
}
