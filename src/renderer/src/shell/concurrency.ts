// A connection's requests at once as the forms hold it: 'auto' (the studio finds what the server
// serves) or a number the user pins; the run config takes either as `concurrency`.
import { LIMITS } from '../../../shared/requestLimits';

export type Concurrency = 'auto' | number;

export function concurrencyValid(value: Concurrency): boolean {
  return value === 'auto' || (Number.isInteger(value) && value >= 1 && value <= LIMITS.concurrency);
}
