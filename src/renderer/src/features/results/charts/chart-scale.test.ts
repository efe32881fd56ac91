import { describe, expect, it } from 'vitest';
import { heat, scale, shortLabel, textOn } from './chart-scale';

describe('chart scales', () => {
  it('mixes a heat colour from white to the full colour', () => {
    expect(heat(0, [0, 114, 178])).toBe('rgb(255, 255, 255)');
    expect(heat(1, [0, 114, 178])).toBe('rgb(0, 114, 178)');
    expect(heat(2, [0, 0, 0])).toBe('rgb(0, 0, 0)');
  });

  it('maps a domain onto a range, also reversed (SVG y grows downwards)', () => {
    expect(scale(0, 1, 100, 0)(0.25)).toBe(75);
    expect(scale(5, 5, 0, 10)(5)).toBe(0);
  });

  it('shortens long labels and picks readable text colours', () => {
    expect(shortLabel('adenocarcinoma-in-situ', 8)).toBe('adenoca…');
    expect(shortLabel('benign')).toBe('benign');
    expect(textOn(0.9)).toBe('#ffffff');
    expect(textOn(0.1)).toBe('#1b2430');
  });
});
