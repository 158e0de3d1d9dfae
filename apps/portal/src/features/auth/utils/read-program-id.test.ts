import { describe, expect, it } from 'vitest';
import { readProgramId } from './read-program-id.ts';

describe('readProgramId', () => {
  it('reads the program from the query string', () => {
    expect(readProgramId('?program=prg_8f3k2&utm_source=email')).toEqual({ status: 'ok', programId: 'prg_8f3k2' });
  });

  it('reports a link without a program', () => {
    expect(readProgramId('')).toEqual({ status: 'missing' });
    expect(readProgramId('?program=')).toEqual({ status: 'missing' });
  });

  it('reports a value that is not a program id', () => {
    expect(readProgramId('?program=cpn_123')).toEqual({ status: 'invalid', value: 'cpn_123' });
    expect(readProgramId('?program=prg_')).toEqual({ status: 'invalid', value: 'prg_' });
  });
});
