// JSON Schema -> node-llama-cpp's GbnfJsonSchema dialect, so any standard schema the host sends
// becomes a grammar instead of an error. What cannot be enforced is dropped and reported.
import type { JsonSchema } from '../contract.js';

//
// node-llama-cpp 3.21 builds a grammar from its own JSON-schema dialect (GbnfJsonSchema).
// Supported there, and kept:
//   type (string | number | integer | boolean | null | object | array), enum (primitives),
//   const (primitive), oneOf, $ref to "#/$defs/<name>" with $defs, description,
//   object: properties, additionalProperties (boolean or schema), minProperties/maxProperties
//           (only effective together with additionalProperties),
//   array: items, prefixItems, minItems, maxItems,
//   string: minLength, maxLength, format "date" | "time" | "date-time".
// Converted to that dialect:
//   anyOf -> oneOf; allOf -> merged into one schema; sibling keywords of oneOf/anyOf are
//   merged into every alternative; type arrays -> oneOf of single types; "nullable": true ->
//   oneOf [schema, null]; definitions -> $defs (and "#/definitions/x" refs -> "#/$defs/x");
//   draft-04 tuple `items: [...]` (+ additionalItems) -> prefixItems (+ items);
//   `items: false` -> maxItems = number of prefixItems; `true` / `{}` schemas -> any JSON value;
//   a missing `type` is inferred from the keywords (properties -> object, items -> array,
//   minLength -> string, minimum -> number); an object without properties and without
//   additionalProperties accepts any keys (JSON Schema default; node-llama-cpp's default is
//   closed); integer with both bounds (minimum/maximum/exclusive*, optional integer
//   multipleOf) spanning <= 1000 values -> enum of those integers.
// Dropped (the grammar does not enforce them; the output may violate them):
//   minimum/maximum/exclusiveMinimum/exclusiveMaximum/multipleOf (number, or integer ranges
//   too wide for an enum), pattern, other string formats (email, uri, uuid, ...),
//   contentEncoding/contentMediaType, uniqueItems, contains/minContains/maxContains,
//   patternProperties, propertyNames, dependentRequired/dependentSchemas, unevaluated*,
//   not, if/then/else, enum/const values that are objects or arrays, $ref to anything but
//   local definitions (becomes "any JSON value").
// Semantics that differ:
//   `required` is ignored because node-llama-cpp always emits every declared property, so
//   optional properties are always present (the output still validates against the schema);
//   an object with properties and no additionalProperties is closed (no extra keys), which
//   is what structured output wants.
// Annotations (title, default, examples, $schema, $id, $comment, readOnly, ...) are ignored.

type Schema = Record<string, unknown>;

const ANY_JSON: Schema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array' },
  ],
};

const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const SUPPORTED_FORMATS = new Set(['date', 'time', 'date-time']);
const MAX_INTEGER_ENUM = 1000;

const DROPPED_KEYWORDS = [
  'pattern',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'unevaluatedItems',
  'unevaluatedProperties',
  'not',
  'if',
  'then',
  'else',
] as const;

const NUMERIC_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const;

function isPlainObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Shallow merge used for allOf and for oneOf/anyOf siblings: properties merged, required united. */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (isPlainObject(a.properties) && isPlainObject(b.properties)) {
    out.properties = { ...a.properties, ...b.properties };
  }
  if (Array.isArray(a.required) && Array.isArray(b.required)) {
    out.required = [...new Set([...a.required, ...b.required])];
  }
  return out;
}

function inferType(schema: Schema): string | undefined {
  if (
    'properties' in schema ||
    'additionalProperties' in schema ||
    'minProperties' in schema ||
    'maxProperties' in schema
  )
    return 'object';
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema || 'maxItems' in schema) return 'array';
  if ('minLength' in schema || 'maxLength' in schema || 'pattern' in schema || 'format' in schema) return 'string';
  if (NUMERIC_KEYWORDS.some((k) => k in schema)) return 'number';
  return undefined;
}

function rewriteRef(ref: string): string | undefined {
  if (ref.startsWith('#/$defs/')) return ref;
  if (ref.startsWith('#/definitions/')) return `#/$defs/${ref.slice('#/definitions/'.length)}`;
  return undefined;
}

/** Integer range -> list of allowed integers, or undefined if unbounded or too wide. */
function integerRange(schema: Schema): number[] | undefined {
  const num = (k: string): number | undefined => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  let lo = num('minimum');
  let hi = num('maximum');
  const exMin = schema.exclusiveMinimum;
  const exMax = schema.exclusiveMaximum;
  if (typeof exMin === 'number') lo = lo === undefined ? Math.floor(exMin) + 1 : Math.max(lo, Math.floor(exMin) + 1);
  else if (exMin === true && lo !== undefined) lo = Math.floor(lo) + 1; // draft-04 boolean form
  if (typeof exMax === 'number') hi = hi === undefined ? Math.ceil(exMax) - 1 : Math.min(hi, Math.ceil(exMax) - 1);
  else if (exMax === true && hi !== undefined) hi = Math.ceil(hi) - 1;
  if (lo === undefined || hi === undefined) return undefined;
  lo = Math.ceil(lo);
  hi = Math.floor(hi);
  const step = num('multipleOf');
  if (step !== undefined && (!Number.isInteger(step) || step <= 0)) return undefined;
  if (hi < lo || hi - lo + 1 > MAX_INTEGER_ENUM) return undefined;
  const values: number[] = [];
  for (let v = lo; v <= hi; v++) if (step === undefined || v % step === 0) values.push(v);
  return values.length > 0 ? values : undefined;
}

export interface ConvertedSchema {
  schema: Schema;
  /** Constraint keywords found in the input that the grammar does not enforce. */
  dropped: string[];
}

/** Converts a standard JSON Schema into node-llama-cpp's GbnfJsonSchema dialect (see above). */
export function toGbnfJsonSchema(input: JsonSchema): ConvertedSchema {
  const dropped = new Set<string>();

  const convert = (node: unknown, depth: number): Schema => {
    if (depth > 64) throw new Error('JSON schema is nested too deeply (more than 64 levels)');
    if (node === true || node === undefined) return ANY_JSON;
    if (node === false) return { type: 'null' }; // "nothing is valid" cannot be expressed
    if (!isPlainObject(node)) return ANY_JSON;
    let s: Schema = node;

    // $defs / definitions are kept on the node where they appear.
    let defs: Schema | undefined;
    const rawDefs = {
      ...(isPlainObject(s.definitions) ? s.definitions : {}),
      ...(isPlainObject(s.$defs) ? s.$defs : {}),
    };
    if (Object.keys(rawDefs).length > 0) {
      defs = {};
      for (const [name, def] of Object.entries(rawDefs)) defs[name] = convert(def, depth + 1);
    }
    const withDefs = (out: Schema): Schema =>
      defs ? { ...out, $defs: { ...(isPlainObject(out.$defs) ? out.$defs : {}), ...defs } } : out;

    if (typeof s.$ref === 'string') {
      const ref = rewriteRef(s.$ref);
      if (ref !== undefined) return withDefs({ $ref: ref });
      dropped.add(`$ref ${s.$ref}`);
      return withDefs(ANY_JSON);
    }

    if (Array.isArray(s.allOf)) {
      const { allOf, ...rest } = s;
      s = (allOf as unknown[]).filter(isPlainObject).reduce<Schema>((acc, part) => mergeSchemas(acc, part), rest);
      if (typeof s.$ref === 'string') return withDefs(convert(s, depth + 1));
    }

    const alternatives = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
    if (alternatives) {
      const { oneOf: _o, anyOf: _a, $defs: _d, definitions: _df, ...base } = s;
      const hasBase = Object.keys(base).some((k) => k !== 'description' && k !== 'title');
      const alts = alternatives.map((alt) =>
        hasBase && isPlainObject(alt) ? convert(mergeSchemas(base, alt), depth + 1) : convert(alt, depth + 1),
      );
      return withDefs(alts.length === 0 ? ANY_JSON : { oneOf: alts });
    }

    const description = typeof s.description === 'string' ? { description: s.description } : {};

    if (s.nullable === true) {
      const { nullable: _n, ...rest } = s;
      return withDefs({ oneOf: [convert(rest, depth + 1), { type: 'null' }] });
    }

    if ('const' in s) {
      if (isPrimitive(s.const)) return withDefs({ const: s.const, ...description });
      dropped.add('const (non-primitive)');
    }
    if (Array.isArray(s.enum)) {
      const values = s.enum.filter(isPrimitive);
      if (values.length < s.enum.length) dropped.add('enum (non-primitive values)');
      if (values.length > 0) return withDefs({ enum: values, ...description });
    }

    let type: unknown = s.type;
    if (Array.isArray(type)) {
      const types = [...new Set(type.filter((t): t is string => typeof t === 'string' && PRIMITIVE_TYPES.has(t)))];
      if (types.length === 0) type = undefined;
      else if (types.length === 1) type = types[0];
      else
        return withDefs({
          oneOf: types.map((t) => convert({ ...s, type: t, $defs: undefined, definitions: undefined }, depth + 1)),
        });
    }
    if (typeof type !== 'string' || !PRIMITIVE_TYPES.has(type)) type = inferType(s);
    if (type === undefined) return withDefs(ANY_JSON);

    for (const k of DROPPED_KEYWORDS) if (k in s) dropped.add(k);

    switch (type) {
      case 'object': {
        const out: Schema = { type: 'object', ...description };
        const props = isPlainObject(s.properties) ? s.properties : undefined;
        if (props && Object.keys(props).length > 0) {
          out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, convert(v, depth + 1)]));
        }
        const ap = s.additionalProperties;
        if (ap === true || ap === false) out.additionalProperties = ap;
        else if (isPlainObject(ap))
          out.additionalProperties = Object.keys(ap).length === 0 ? true : convert(ap, depth + 1);
        else if (out.properties === undefined) out.additionalProperties = true;
        for (const k of ['minProperties', 'maxProperties']) if (typeof s[k] === 'number') out[k] = s[k];
        return withDefs(out);
      }
      case 'array': {
        const out: Schema = { type: 'array', ...description };
        let prefix: unknown[] | undefined = Array.isArray(s.prefixItems) ? s.prefixItems : undefined;
        let items: unknown = s.items;
        if (Array.isArray(items)) {
          // draft-04..2019-09 tuple form
          prefix = items;
          items = s.additionalItems;
        }
        if (prefix && prefix.length > 0) out.prefixItems = prefix.map((p) => convert(p, depth + 1));
        if (items === false) out.maxItems = prefix?.length ?? 0;
        else if (isPlainObject(items) && Object.keys(items).length > 0) out.items = convert(items, depth + 1);
        for (const k of ['minItems', 'maxItems']) if (typeof s[k] === 'number' && out[k] === undefined) out[k] = s[k];
        return withDefs(out);
      }
      case 'string': {
        const format = s.format;
        if (typeof format === 'string') {
          if (SUPPORTED_FORMATS.has(format)) return withDefs({ type: 'string', format, ...description });
          dropped.add(`format ${format}`);
        }
        const out: Schema = { type: 'string', ...description };
        for (const k of ['minLength', 'maxLength']) if (typeof s[k] === 'number') out[k] = s[k];
        return withDefs(out);
      }
      case 'integer': {
        if (NUMERIC_KEYWORDS.some((k) => k in s)) {
          const values = integerRange(s);
          if (values) return withDefs({ enum: values, ...description });
          for (const k of NUMERIC_KEYWORDS) if (k in s) dropped.add(k);
        }
        return withDefs({ type: 'integer', ...description });
      }
      case 'number':
        for (const k of NUMERIC_KEYWORDS) if (k in s) dropped.add(k);
        return withDefs({ type: 'number', ...description });
      default:
        return withDefs({ type, ...description });
    }
  };

  return { schema: convert(input, 0), dropped: [...dropped].sort() };
}
