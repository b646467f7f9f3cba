// What both transports do with a call once it has arrived, so that they cannot differ: find the
// method in the contract (API_METHOD_ENTRIES, never an arbitrary property of the service), check
// its arguments against the schema table, run it, and turn what it threw into the wire error.
import { checkArguments } from '../../shared/apiSchemas.js';
import { API_METHOD_ENTRIES, type ApiMethodEntry, type ApiMethodName, type StudioApi } from '../../shared/studioApi.js';
import { errorBody, StudioApiError, type StudioErrorBody } from '../../shared/studioApiError.js';

export interface ServedMethod extends ApiMethodEntry {
  /**
   * Calls the method with `args` (and, for a subscription, the listener last) once they match its
   * schema; throws an invalid-argument StudioApiError, calling nothing, when they do not.
   */
  invoke(args: readonly unknown[], listener?: (value: unknown) => void): unknown;
}

/** Every method of the contract, bound to `api`, by `domain.method`. */
export function serveMethods(api: StudioApi): Map<ApiMethodName, ServedMethod> {
  const served = new Map<ApiMethodName, ServedMethod>();
  for (const entry of API_METHOD_ENTRIES) {
    const target = (api as unknown as Record<string, Record<string, unknown>>)[entry.domain];
    const fn = target?.[entry.method];
    if (typeof fn !== 'function') throw new Error(`The API has no method ${entry.name}`);
    served.set(entry.name, {
      ...entry,
      invoke(args, listener) {
        const checked = checkArguments(entry.name, args);
        return fn.apply(target, entry.subscription ? [...checked, listener] : checked);
      },
    });
  }
  return served;
}

/** The served `domain.method` of the wanted kind, or a not-found StudioApiError. */
export function findMethod(
  served: ReadonlyMap<string, ServedMethod>,
  domain: string,
  method: string,
  kind: 'call' | 'subscription',
): ServedMethod {
  const found = served.get(`${domain}.${method}`);
  if (found === undefined || found.subscription !== (kind === 'subscription'))
    throw new StudioApiError(
      'not-found',
      `Unknown ${kind === 'call' ? 'method' : 'subscription'}: ${domain}.${method}`,
    );
  return found;
}

/**
 * The wire form of an error a method threw. Internal ones (anything not a StudioApiError: the
 * unexpected) also go to `report`, which is the only place their stack goes.
 */
export function failure(
  error: unknown,
  where: string,
  report: (error: unknown, where: string) => void,
): StudioErrorBody {
  const body = errorBody(error);
  if (body.code === 'internal') report(error, where);
  return body;
}
