/**
 * "Keep it honest across runs": every ratio of a new run beside the recorded run it replaces, and the
 * ones that fell by more than a noise margin, so a regression is seen the day it lands rather than
 * when someone next reads the charts.
 */

/** Two runs on this machine agree within about this much (bench/README.md). */
export const REGRESSION_MARGIN = 0.05;

export interface Regression {
  ratio: string;
  before: number;
  after: number;
}

export function regressions(
  before: Record<string, number> | undefined,
  after: Record<string, number>,
  margin = REGRESSION_MARGIN,
): Regression[] {
  if (!before) return [];
  return Object.entries(after)
    .filter(([name, value]) => Number.isFinite(value) && Number.isFinite(before[name]))
    .filter(([name, value]) => value < before[name]! - margin)
    .map(([name, value]) => ({ ratio: name, before: before[name]!, after: value }));
}
