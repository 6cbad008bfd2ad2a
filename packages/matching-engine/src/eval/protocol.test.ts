import { describe, expect, it } from 'vitest';
import {
  normaliseSupplierName,
  parseProcesses,
  repairMojibake,
  withoutOutcome,
  type ProcessRecord,
} from './dataset.js';
import { evaluate, pessimisticRank, randomBaseline, requirementFromTender } from './protocol.js';

function proc(id: string, title: string, winner: string, extra: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    process_id: id,
    date: '2020-01-01',
    buyer: { name: 'Buyer', id: 'B1' },
    title,
    description: title,
    items: [{ description: title, classification: { scheme: 'X', id: '1234' } }],
    tenderers: [],
    awards: [{ status: 'active', suppliers: [{ name: winner }] }],
    ...extra,
  };
}

const DATA: ProcessRecord[] = [
  proc('1', 'Limpieza de oficinas', 'Limpia SA'),
  proc('2', 'Servicio de limpieza de edificios', 'LIMPIA, SA'),
  proc('3', 'Supervisión de obra civil', 'Supervisa SC'),
  proc('4', 'Supervisión técnica de construcción', 'Supervisa SC'),
  proc('5', 'Vigilancia y seguridad', 'Guardias SA'),
];

describe('evaluation protocol', () => {
  it('normalises supplier names as the protocol says', () => {
    expect(normaliseSupplierName('  Especialistas  Ambientales, S.A. de C.V. ')).toBe(
      'especialistas ambientales s a de c v',
    );
    expect(normaliseSupplierName('LIMPIA, SA')).toBe('limpia sa');
  });

  it('repairs UTF-8 read as Latin-1 and leaves good text alone', () => {
    expect(repairMojibake('AdjudicaciÃ³n directa')).toBe('Adjudicación directa');
    expect(repairMojibake('Adjudicación')).toBe('Adjudicación');
    expect(parseProcesses('{"process_id": 7, "title": "LicitaciÃ³n"}\nnot json\n').processes[0]?.title).toBe(
      'Licitación',
    );
  });

  it('ranks pessimistically: ties never favour the target', () => {
    expect(
      pessimisticRank(
        new Map([
          ['s', 1],
          ['a', 1],
          ['b', 0],
        ]),
        's',
      ),
    ).toBe(2);
    expect(randomBaseline([4]).mrr).toBeCloseTo((1 + 1 / 2 + 1 / 3 + 1 / 4) / 4, 12);
    expect(randomBaseline([20]).recall10).toBeCloseTo(0.5, 12);
  });

  it('never reads the tested process outcome: awards and tenderers throw', () => {
    const view = withoutOutcome(DATA[0] as ProcessRecord);
    expect(() => (view as ProcessRecord).awards).toThrow(/evaluation leak/);
    expect(() => (view as ProcessRecord).tenderers).toThrow(/evaluation leak/);
    expect(() => requirementFromTender(view)).not.toThrow();
    // The whole run builds every requirement from such a view; it would throw if ranking touched the outcome.
    const seen: unknown[] = [];
    const r = evaluate(DATA, { buildRequirement: (p) => (seen.push(p), requirementFromTender(p)) });
    expect(r.triples).toBe(4);
    expect(seen).toHaveLength(4);
    for (const p of seen) expect(() => (p as ProcessRecord).awards).toThrow();
  });

  it('gives the same ranks whatever the tested process tenderers say', () => {
    const leaky = DATA.map((p) => ({
      ...p,
      tenderers: (p.awards?.[0]?.suppliers ?? []).map((s) => ({ ...s })),
    }));
    expect(evaluate(leaky)).toEqual(evaluate(DATA));
  });

  it('builds triples only where one supplier won and also won elsewhere, and ranks them', () => {
    const r = evaluate(DATA);
    expect(r.triples).toBe(4);
    expect(r.candidates).toBe(3);
    expect(r.engine.recall1).toBe(1);
  });
});
