export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; href: string };

/** Splits mail text into plain text and http(s) links, so links in the mailbox can be clicked. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    // A sentence's full stop or closing bracket after a link is not part of it.
    const href = match[0].replace(/[.,;:)\]]+$/, '');
    parts.push({ kind: 'link', href });
    last = start + href.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
