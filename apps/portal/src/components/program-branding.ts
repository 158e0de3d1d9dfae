import type { CSSProperties } from 'react';

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

function expand(hex: string): string {
  return hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
}

/** WCAG relative luminance of a #rgb / #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const full = expand(hex);
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * CSS variables that give the program's accent colour to the header and, when white text reads
 * well on it, to Mantine's primary buttons (their text is always white). Only a plain hex colour
 * is used, so a bad value from the API cannot break the page.
 */
export function brandStyle(accentColor: string | null): CSSProperties | undefined {
  if (!accentColor || !HEX.test(accentColor)) return undefined;
  const accent = expand(accentColor);
  const light = relativeLuminance(accent) > 0.3;
  const onAccent = light ? '#111111' : '#ffffff';
  const header = { '--program-accent': accent, '--program-on-accent': onAccent } as CSSProperties;
  if (light) return header;
  const vars: Record<string, string> = {};
  // Mantine resolves the primary colour to its own palette variables ("indigo"), so both the
  // primary aliases and that palette's variables are pointed at the accent.
  for (const prefix of ['--mantine-primary-color', '--mantine-color-indigo']) {
    vars[`${prefix}-filled`] = accent;
    vars[`${prefix}-filled-hover`] = `color-mix(in srgb, ${accent} 85%, black)`;
    vars[`${prefix}-light`] = `color-mix(in srgb, ${accent} 12%, transparent)`;
    vars[`${prefix}-light-hover`] = `color-mix(in srgb, ${accent} 20%, transparent)`;
    vars[`${prefix}-light-color`] = `color-mix(in srgb, ${accent} 80%, black)`;
  }
  return {
    ...header,
    ...vars,
  } as CSSProperties;
}
