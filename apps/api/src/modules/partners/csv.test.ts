import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, isBlankRecord, neutralizeFormula, parseCsv, writeCsv } from './csv.ts';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, embedded line breaks and both line endings', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', ''],
    ]);
  });

  it('drops a byte order mark and keeps a last line without a line break', () => {
    expect(parseCsv('\uFEFFemail\nann@x.test')).toEqual([['email'], ['ann@x.test']]);
  });

  it('keeps blank lines as blank records so row numbers stay true', () => {
    const records = parseCsv('a\n\nb\n');
    expect(records).toEqual([['a'], [''], ['b']]);
    expect(records.map(isBlankRecord)).toEqual([false, true, false]);
  });

  it('names the row of a quote that is never closed', () => {
    let caught: unknown;
    try {
      parseCsv('a\nb\n"c,d\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    expect(caught).toMatchObject({ row: 3 });
  });
});

describe('writeCsv', () => {
  it('quotes only fields that need it and round-trips through the parser', () => {
    const records = [
      ['plain', 'with,comma', 'with "quote"', 'line\nbreak', ''],
      ['x', 'y', 'z', 'w', 'v'],
    ];
    const text = writeCsv(records);
    expect(text).toBe('plain,"with,comma","with ""quote""","line\nbreak",\r\nx,y,z,w,v\r\n');
    expect(parseCsv(text)).toEqual(records);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+1', '-2', '@SUM(A1)', 'Ann'].map(neutralizeFormula)).toEqual(["'=1+1", "'+1", "'-2", "'@SUM(A1)", 'Ann']);
  });
});
