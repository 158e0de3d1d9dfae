import { describe, expect, it } from 'vitest';
import { splitLinks } from './split-links.ts';

describe('splitLinks', () => {
  it('makes links of URLs and leaves a trailing full stop out', () => {
    expect(splitLinks('Set it here:\nhttp://127.0.0.1:5174/accept-invitation?token=abc_D-1.\nBye')).toEqual([
      { kind: 'text', text: 'Set it here:\n' },
      { kind: 'link', href: 'http://127.0.0.1:5174/accept-invitation?token=abc_D-1' },
      { kind: 'text', text: '.\nBye' },
    ]);
  });

  it('keeps text without links as it is', () => {
    expect(splitLinks('No links here')).toEqual([{ kind: 'text', text: 'No links here' }]);
  });
});
