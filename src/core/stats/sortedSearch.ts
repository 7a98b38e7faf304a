/** Binary search over the first `len` entries of a column sorted ascending (exit times of the stats and report columns). */
export function searchSorted(col: ArrayLike<number>, len: number, value: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'left' ? col[mid] < value : col[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
