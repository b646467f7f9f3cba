// The request fields through which a server may be made to follow a JSON schema
// (contract.ts's JsonConstraint), and how each is named to the user.

import type { JsonConstraint, JsonSchema } from '../contract.js';

const FIELDS: Record<JsonConstraint, (schema: JsonSchema) => Record<string, unknown>> = {
  'response_format:json_schema': (schema) => ({
    response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: false } },
  }),
  'response_format:json_object': (schema) => ({ response_format: { type: 'json_object', schema } }),
  guided_json: (schema) => ({ guided_json: schema }),
  json_schema: (schema) => ({ json_schema: schema }),
};

export const CONSTRAINT_NAMES: Record<JsonConstraint, string> = {
  'response_format:json_schema': 'response_format json_schema',
  'response_format:json_object': 'json_object + schema',
  guided_json: 'guided_json',
  json_schema: 'json_schema',
};

/** The body fields that ask for `schema` through each of `constraints` (none without a schema). */
export function jsonFields(
  constraints: readonly JsonConstraint[],
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  if (!schema) return {};
  return Object.assign({}, ...constraints.map((constraint) => FIELDS[constraint](schema)));
}
