/** Money rounding: per trade to the cent (TRADING-MATH.md §2.7), half away from zero. */
export function roundCents(x: number): number {
  // The 1e-9 nudge absorbs binary noise such as 1.005 stored as 1.00499999…
  const r = Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9) / 100;
  return r === 0 ? 0 : r; // never -0
}

/** Trims binary noise (0.62 x 3 = 1.8599999…) from intermediate money without cutting sub-cent fees. */
export function trimNoise(x: number): number {
  const r = Math.round(x * 1e8) / 1e8;
  return r === 0 ? 0 : r;
}
