// Figures go into the results table rounded to what the measurement can tell apart.
export function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
