/**
 * The shape of one contracting process in `procurement-awards-*.jsonl` (see data/README.md), read loosely:
 * real files miss fields, use numbers for codes and carry mojibake.
 */
export interface Party {
  readonly name?: string | null;
  readonly id?: string | number | null;
  readonly region?: string | null;
  readonly scale?: string | null;
}

export interface Classification {
  readonly scheme?: string | null;
  readonly id?: string | number | null;
  readonly description?: string | null;
}

export interface ProcessItem {
  readonly description?: string | null;
  readonly classification?: Classification | null;
  readonly additionalClassifications?: readonly Classification[] | null;
}

export interface Award {
  readonly status?: string | null;
  readonly date?: string | null;
  readonly value?: number | null;
  readonly title?: string | null;
  readonly suppliers?: readonly Party[] | null;
}

/** What was known when the process was tendered: the only part of a tested process ranking may read. */
export interface TenderView {
  readonly process_id: string;
  readonly date?: string | null;
  readonly buyer?: (Party & { readonly acronym?: string | null; readonly unit?: string | null }) | null;
  readonly title?: string | null;
  readonly description?: string | null;
  readonly items?: readonly ProcessItem[] | null;
}

export interface ProcessRecord extends TenderView {
  readonly publisher?: string | null;
  readonly tenderers?: readonly Party[] | null;
  readonly awards?: readonly Award[] | null;
}

/**
 * Undoes UTF-8 read as Latin-1 ("AdjudicaciÃ³n" → "Adjudicación"): only when every character fits in one
 * byte and the bytes decode as valid UTF-8, so correct text is never touched.
 */
export function repairMojibake(s: string): string {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(s)) return s;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return s;
  const bytes = Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return s;
  }
}

function repairDeep(v: unknown): unknown {
  if (typeof v === 'string') return repairMojibake(v);
  if (Array.isArray(v)) return v.map(repairDeep);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = repairDeep(x);
    return out;
  }
  return v;
}

/** One process per non-empty line; lines that are not JSON objects with a process_id are skipped and counted. */
export function parseProcesses(jsonl: string): { processes: ProcessRecord[]; skipped: number } {
  const processes: ProcessRecord[] = [];
  let skipped = 0;
  for (const line of jsonl.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    try {
      const v = repairDeep(JSON.parse(line)) as Record<string, unknown>;
      if (
        v &&
        typeof v === 'object' &&
        (typeof v.process_id === 'string' || typeof v.process_id === 'number')
      ) {
        processes.push({ ...v, process_id: String(v.process_id) });
      } else skipped++;
    } catch {
      skipped++;
    }
  }
  return { processes, skipped };
}

/** The protocol's supplier identity: NFKD, accents dropped, lower case, other runs one space, trimmed. */
export function normaliseSupplierName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The tested process as ranking sees it: every tender-time field, and `awards` and `tenderers` getters that
 * throw, so any read of the outcome fails loudly instead of leaking the answer.
 */
export function withoutOutcome(p: ProcessRecord): TenderView {
  const view = {
    process_id: p.process_id,
    date: p.date,
    buyer: p.buyer,
    title: p.title,
    description: p.description,
    items: p.items,
  };
  for (const field of ['awards', 'tenderers'])
    Object.defineProperty(view, field, {
      enumerable: true,
      get() {
        throw new Error(`evaluation leak: ranking read the tested process's ${field}`);
      },
    });
  return view;
}
