// What constrained decoding guarantees, for the fake servers: a reply that follows the schema.
// `conforms` checks the subset of JSON Schema the contract uses (type, enum, const, properties,
// required, items, minItems, minLength, minimum); `minimalInstance` builds the smallest value that
// passes it, which a fake server answers where its scripted model ignored the schema.
import type { JsonSchema } from '../../src/plugins/contract.js';

export function conforms(value: unknown, schema: JsonSchema): boolean {
  if (schema.const !== undefined && JSON.stringify(value) !== JSON.stringify(schema.const)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return false;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
  if (types.length > 0 && !types.some((t) => hasType(value, t))) return false;
  if (typeof value === 'string' && typeof schema.minLength === 'number' && value.length < schema.minLength)
    return false;
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) return false;
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
    const items = schema.items as JsonSchema | undefined;
    if (items && !value.every((v) => conforms(v, items))) return false;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const required = (schema.required as string[] | undefined) ?? [];
    if (required.some((key) => !(key in object))) return false;
    const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
    for (const [key, sub] of Object.entries(properties)) if (key in object && !conforms(object[key], sub)) return false;
  }
  return true;
}

/** True when `text` is JSON that conforms to `schema`. */
export function textConforms(text: string, schema: JsonSchema): boolean {
  try {
    return conforms(JSON.parse(text), schema);
  } catch {
    return false;
  }
}

export function minimalInstance(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = (schema.required as string[] | undefined) ?? [];
      return Object.fromEntries(required.map((key) => [key, minimalInstance(properties[key] ?? {})]));
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return Array.from({ length: count }, () => minimalInstance((schema.items as JsonSchema | undefined) ?? {}));
    }
    case 'string':
      return 'x'.repeat(typeof schema.minLength === 'number' ? schema.minLength : 0);
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}
