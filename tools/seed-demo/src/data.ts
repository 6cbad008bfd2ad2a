/** Reads the RETC 2022 file and groups its establishments by razón social. */
import { readFileSync } from 'node:fs';
import { foldText, nearestScian2023Class, parseCsvRecords, resolveState, scianCode } from '@vinculo/taxonomy';
import { collapse, groupKey, mayBeNaturalPerson, repairShiftedForm, tidy } from './legal.js';
import { hash32 } from './prng.js';

export interface Establishment {
  nra: string;
  /** The name shown: the establishment's own, or a neutral one for a natural person. */
  name: string;
  scianOriginal: string;
  scian: string;
  scianMapped: boolean;
  scianTitle: string;
  activity: string;
  stateCode: string | null;
  stateName: string | null;
  municipality: string | null;
  industrialPark: string | null;
  lat: number | null;
  lon: number | null;
}

export interface SupplierGroup {
  key: string;
  /** Public organisation name: the razón social, or for a possible natural person a name that is not theirs. */
  name: string;
  naturalPerson: boolean;
  slug: string;
  establishments: Establishment[];
}

const num = (s: string | undefined): number | null => {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

export function slugify(s: string, max = 40): string {
  const out = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return out || 'org';
}

/** "Fabricación de piezas … — Apodaca": built from activity and place only, for names that may be a person's. */
export function neutralName(scianTitle: string, municipality: string | null): string {
  const activity = scianTitle.length > 80 ? `${scianTitle.slice(0, 77).replace(/\s+\S*$/, '')}…` : scianTitle;
  return municipality ? `${activity} — ${municipality}` : activity;
}

/** true when `name` repeats the person's name (or a good part of it), so it cannot stand in for it. */
function revealsPerson(name: string, person: string): boolean {
  const a = foldText(name);
  const p = foldText(person);
  if (!a || !p) return false;
  const words = p.split(' ').filter((w) => w.length >= 4);
  return a.includes(p) || p.includes(a) || words.filter((w) => a.split(' ').includes(w)).length >= 2;
}

export function groupRetc(csvText: string): SupplierGroup[] {
  const groups = new Map<
    string,
    { razon: string; rows: Record<string, string>[]; establishments: string[] }
  >();
  for (const row of parseCsvRecords(csvText)) {
    const fixed = repairShiftedForm(row.razon_social ?? '', row.nombre_establecimiento ?? '');
    if (!fixed.razonSocial || !row.nra) continue;
    const key = groupKey(fixed.razonSocial);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { razon: fixed.razonSocial, rows: [], establishments: [] }));
    g.rows.push(row);
    g.establishments.push(fixed.establishment);
  }
  const out: SupplierGroup[] = [];
  const slugs = new Set<string>();
  for (const [key, g] of groups) {
    const natural = mayBeNaturalPerson(g.razon);
    const establishments = g.rows.map((row, i): Establishment => {
      const nearest = nearestScian2023Class(row.scian ?? '');
      const scian = nearest?.code ?? '';
      const title = scianCode(scian)?.title ?? row.desc_scian ?? '';
      const state = resolveState(row.estado ?? '');
      const municipality = tidy(row.municipio ?? '') || null;
      let name = g.establishments[i] ?? '';
      if (!name || (natural && revealsPerson(name, g.razon)))
        name = natural ? neutralName(title, municipality) : g.razon;
      const lat = num(row.lat);
      const lon = num(row.lon);
      return {
        nra: collapse(row.nra ?? ''),
        name,
        scianOriginal: row.scian ?? '',
        scian,
        scianMapped: nearest?.mapped ?? false,
        scianTitle: title,
        activity: tidy(row.actividad_principal ?? ''),
        stateCode: state?.code ?? null,
        stateName: state?.officialName ?? null,
        municipality,
        industrialPark: tidy(row.parque_industrial ?? '') || null,
        lat: lat !== null && lon !== null ? lat : null,
        lon: lat !== null && lon !== null ? lon : null,
      };
    });
    const first = establishments[0]!;
    const name = natural ? first.name : g.razon;
    // The slug names the e-mail address, so it too comes from the public name, never from a person's.
    const base = slugify(name, 40);
    let slug = `${base}-${hash32(key).toString(36).slice(0, 5)}`;
    for (let n = 2; slugs.has(slug); n++) slug = `${base}-${hash32(`${key}#${n}`).toString(36).slice(0, 5)}`;
    slugs.add(slug);
    out.push({
      key,
      name,
      naturalPerson: natural,
      slug,
      establishments: establishments.filter((e) => e.scian !== ''),
    });
  }
  return out.filter((g) => g.establishments.length > 0);
}

export function loadRetc(path: string): SupplierGroup[] {
  return groupRetc(readFileSync(path, 'utf8'));
}
