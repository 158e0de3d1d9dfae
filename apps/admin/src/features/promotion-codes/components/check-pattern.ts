const NAME_TOKENS = new Set(['FIRSTNAME', 'LASTNAME', 'NAME', 'PARTNERKEY', 'AMOUNT']);
const VARYING_TOKENS = new Set(['FIRSTNAME', 'LASTNAME', 'NAME', 'PARTNERKEY']);

/**
 * The pattern rules of the code generator (packages/core code-patterns), checked while typing so
 * the merchant sees a mistake before asking for a preview. The preview stays the final word.
 */
export function checkPattern(pattern: string, partnerCount: number): string[] {
  if (pattern.trim() === '') return ['Enter a pattern, for example {FIRSTNAME}{AMOUNT}.'];
  if (pattern.trim().length > 64) return ['Use at most 64 characters.'];
  const problems: string[] = [];
  let varying = false;
  let index = 0;
  while (index < pattern.length) {
    const character = pattern[index];
    if (character === '}') {
      problems.push(`There is a '}' without a matching '{' at position ${index + 1}.`);
      index++;
      continue;
    }
    if (character !== '{') {
      index++;
      continue;
    }
    const close = pattern.indexOf('}', index + 1);
    const nextOpen = pattern.indexOf('{', index + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      problems.push(`The token starting at position ${index + 1} is missing its closing '}'.`);
      index++;
      continue;
    }
    const raw = pattern.slice(index + 1, close);
    const name = raw.trim().toUpperCase();
    const random = /^RANDOM(\d*)$/.exec(name);
    if (NAME_TOKENS.has(name)) {
      if (VARYING_TOKENS.has(name)) varying = true;
    } else if (random) {
      const length = random[1] ? Number(random[1]) : 4;
      if (length < 2 || length > 12) problems.push(`{${raw}} asks for ${length} random characters; use {RANDOM2} to {RANDOM12}.`);
      else varying = true;
    } else {
      problems.push(`{${raw}} is not a known token; use {FIRSTNAME}, {LASTNAME}, {NAME}, {PARTNERKEY}, {AMOUNT} or {RANDOM4}.`);
    }
    index = close + 1;
  }
  if (problems.length === 0 && partnerCount > 1 && !varying) {
    problems.push('Every partner would get the same code; add {PARTNERKEY}, a name token or a {RANDOM4} token.');
  }
  return problems;
}
