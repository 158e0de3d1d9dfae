import { describe, expect, it } from 'vitest';
import { brandStyle } from './program-branding.ts';

describe('brandStyle', () => {
  it('gives a dark accent to the header and the buttons, with white text', () => {
    const style = brandStyle('#0a7d4f') as Record<string, string>;
    expect(style['--program-accent']).toBe('#0a7d4f');
    expect(style['--program-on-accent']).toBe('#ffffff');
    expect(style['--mantine-color-indigo-filled']).toBe('#0a7d4f');
  });

  it('keeps the default buttons for a light accent, where white text would not read', () => {
    const style = brandStyle('#ffd') as Record<string, string>;
    expect(style['--program-accent']).toBe('#ffffdd');
    expect(style['--program-on-accent']).toBe('#111111');
    expect(style['--mantine-color-indigo-filled']).toBeUndefined();
  });

  it('ignores anything that is not a hex colour', () => {
    expect(brandStyle('red; background: url(x)')).toBeUndefined();
    expect(brandStyle(null)).toBeUndefined();
  });
});
