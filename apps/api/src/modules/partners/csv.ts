// RFC 4180 by hand: no CSV library is installed in the workspace and this feature may not add
// dependencies. The format is small (quoted fields, doubled quotes, CRLF or LF), and the import
// needs record numbers for its error messages, which a short parser gives directly.

export class CsvSyntaxError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** Splits CSV text into records of fields. Row numbers in errors are 1-based, header included. */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        field += ch;
        i += 1;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i += 1;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      fieldStarted = false;
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i += 1;
    }
  }
  if (quoted) throw new CsvSyntaxError(records.length + 1, 'a quoted field is never closed');
  if (fieldStarted || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** True for a record that is only a line break (blank lines are skipped, not errors). */
export function isBlankRecord(record: string[]): boolean {
  return record.length === 1 && record[0]?.trim() === '';
}

function escapeField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Spreadsheets run a cell that starts with = + - @ as a formula (OWASP "CSV injection"); a leading
 * apostrophe makes them show it as text. Used for fields people typed, not for our own values.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 text: fields quoted when needed, CRLF line ends, a final line break. */
export function writeCsv(records: readonly (readonly string[])[]): string {
  return records.map((r) => r.map(escapeField).join(',')).join('\r\n') + '\r\n';
}
