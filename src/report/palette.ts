/** Okabe & Ito (2008) colour-blind-safe palette, in the order plots use it. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;
export const color = (k: number): string => PALETTE[k % PALETTE.length];
