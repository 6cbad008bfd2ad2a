import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from './csv.js';

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, embedded newlines, CRLF and empty fields', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","line1\nline2"\n,,\n1,2,\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\nline2'],
      ['', '', ''],
      ['1', '2', ''],
    ]);
  });

  it('accepts a missing final newline and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a,')).toEqual([['a', '']]);
  });

  it('agrees with csv-parse on the real SCIAN and RETC files', () => {
    for (const url of [
      new URL('../data/scian_2023_mx.csv', import.meta.url),
      new URL('../../../data/retc_2022_establecimientos_mx.csv', import.meta.url),
    ]) {
      const text = readFileSync(url, 'utf8');
      expect(parseCsv(text)).toEqual(parse(text, { bom: true, relax_column_count: true }));
    }
  });

  it('keys records by header', () => {
    expect(parseCsvRecords('k,v\n1,2\n3\n')).toEqual([
      { k: '1', v: '2' },
      { k: '3', v: '' },
    ]);
  });
});
