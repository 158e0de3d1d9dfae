import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No script runs in the admin app or the partner portal (issue 8, item 3): everything the API
 * returns (names full of markup included, see hostile-input.test.ts) is rendered by React as text,
 * which escapes it. That holds only while no source turns a string into HTML or code, which this
 * test checks over the apps' sources and the web package they share. The browser journeys
 * (apps/admin/e2e, apps/portal/e2e hostile-text.spec.ts) render such names in Chromium.
 */
const root = resolve(import.meta.dirname, '../../../..');
const sourceDirs = ['apps/admin/src', 'apps/portal/src', 'packages/web/src'];

const forbidden: { pattern: RegExp; why: string }[] = [
  { pattern: /dangerouslySetInnerHTML/, why: 'renders a string as HTML' },
  { pattern: /\b(?:innerHTML|outerHTML)\b/, why: 'writes HTML into the DOM' },
  { pattern: /\binsertAdjacentHTML\b|\bcreateContextualFragment\b/, why: 'parses a string as HTML' },
  { pattern: /\bdocument\.write(?:ln)?\b/, why: 'writes HTML into the document' },
  { pattern: /\beval\s*\(|\bnew\s+Function\s*\(/, why: 'runs a string as code' },
  { pattern: /\bsrcdoc\b|\bsrcDoc\b/i, why: 'renders a string as a document' },
  { pattern: /['"`]javascript:/i, why: 'a javascript: URL' },
];

/** Source files of the apps; tests are left out (reading `innerHTML` in an assertion renders nothing). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(tsx?|jsx?)$/.test(entry.name) && !/\.test\.(tsx?|jsx?)$/.test(entry.name) ? [path] : [];
  });
}

function findRawHtml(text: string): string[] {
  return text.split('\n').flatMap((line, i) => forbidden.filter((f) => f.pattern.test(line)).map((f) => `line ${i + 1}: ${f.why}: ${line.trim()}`));
}

describe('rendered output of the admin app and the partner portal', () => {
  it('never turns a string into HTML or code', () => {
    const files = sourceDirs.filter((dir) => existsSync(join(root, dir))).flatMap((dir) => sourceFiles(join(root, dir)));
    expect(files.filter((f) => f.includes('/apps/admin/')).length).toBeGreaterThan(20);
    expect(files.filter((f) => f.includes('/apps/portal/')).length).toBeGreaterThan(10);
    const findings = files.flatMap((file) => findRawHtml(readFileSync(file, 'utf8')).map((finding) => `${relative(root, file)} ${finding}`));
    expect(findings).toEqual([]);
  });

  it('recognises each way of writing HTML or code from a string', () => {
    const samples = [
      '<div dangerouslySetInnerHTML={{ __html: partner.name }} />',
      'ref.current.innerHTML = program.name;',
      'node.insertAdjacentHTML("beforeend", html);',
      'document.write(text);',
      'eval(code);',
      'const f = new Function(body);',
      '<iframe srcDoc={html} />',
      "<a href={'javascript:' + code}>",
    ];
    expect(samples.map((sample) => findRawHtml(sample).length)).toEqual(samples.map(() => 1));
    expect(findRawHtml('<Text>{partner.name}</Text>')).toEqual([]);
  });
});
