export type ProgramIdResult =
  | { status: 'ok'; programId: string }
  | { status: 'missing' }
  | { status: 'invalid'; value: string };

/** The program a sign-in link is for, from its `?program=prg_...` query parameter. */
export function readProgramId(search: string): ProgramIdResult {
  const value = new URLSearchParams(search).get('program')?.trim();
  if (!value) return { status: 'missing' };
  if (!/^prg_[A-Za-z0-9_-]{1,64}$/.test(value)) return { status: 'invalid', value };
  return { status: 'ok', programId: value };
}
