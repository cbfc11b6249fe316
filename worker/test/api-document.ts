// The API document as a test oracle: ajv validates against its schemas (draft 2020-12, with
// ajv-formats), and json-schema-faker generates samples from them, seeded so that a run repeats.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { generateSync } from 'json-schema-faker';
import { openApiDocument } from '../openapi';

export type JsonSchema = Record<string, unknown>;
export type ApiDocument = ReturnType<typeof openApiDocument>;

export interface MediaType {
  schema?: JsonSchema;
  example?: unknown;
}
export interface DocumentedAnswer {
  description: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, unknown>;
}
export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}
export interface DocumentedOperation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters: Parameter[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, DocumentedAnswer>;
}

const DOCUMENT_ID = 'https://tellus.test/v1/openapi.json';

/** The document's own validators and generator. */
export class ApiOracle {
  readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<unknown, ValidateFunction>();

  constructor(readonly doc: ApiDocument) {
    addFormats(this.ajv);
    // Not a JSON Schema as a whole; its schemas are reached by JSON pointer, $refs and all.
    this.ajv.addSchema(doc, DOCUMENT_ID, undefined, false);
  }

  /** Every operation, with its path and method. */
  operations(): { path: string; method: string; op: DocumentedOperation }[] {
    return Object.entries(this.doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, DocumentedOperation>).map(([method, op]) => ({
        path,
        method,
        op,
      })),
    );
  }

  /** A schema with its `$ref`s resolved against the document, ready to validate or to generate from. */
  resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    return this.doc.components.schemas[name as keyof ApiDocument['components']['schemas']] as JsonSchema;
  }

  validator(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      const ref = schema.$ref;
      validate =
        typeof ref === 'string'
          ? (this.ajv.getSchema(`${DOCUMENT_ID}${ref}`) as ValidateFunction)
          : this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  /** Ajv's complaints about `value` against `schema`, or undefined when it is valid. */
  errors(schema: JsonSchema, value: unknown): string | undefined {
    const validate = this.validator(schema);
    if (validate(value)) return undefined;
    return this.ajv.errorsText(validate.errors);
  }

  /**
   * A value the schema allows, from json-schema-faker, the same for the same seed. The faker does
   * not hold to every keyword (lookaheads, `if` inside `allOf`), so its samples are checked with
   * ajv and drawn again until one passes.
   */
  sample(schema: JsonSchema, seed: number, optionals: 'some' | 'all' | 'none' = 'some'): unknown {
    const resolved = this.resolve(schema) as Parameters<typeof generateSync>[0];
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = generateSync(resolved, {
        seed: seed * 100 + attempt,
        alwaysFakeOptionals: optionals === 'all',
        optionalsProbability: optionals === 'none' ? 0 : 0.5,
        useExamplesValue: true,
      });
      if (this.errors(schema, value) === undefined) return value;
    }
    throw new Error(
      `No sample the document allows in 100 draws from ${JSON.stringify(schema).slice(0, 200)}`,
    );
  }
}

/**
 * A string the schema allows as near its `maxLength` as fast-check finds, in any script of the
 * Basic Multilingual Plane, or undefined (for a pattern random text never matches): the long
 * inputs that json-schema-faker, which keeps strings short, does not make. (Past that plane the
 * worker counts two to a character where JSON Schema counts one, as the document says.)
 */
export function longString(oracle: ApiOracle, schema: JsonSchema, seed: number): string | undefined {
  const max = schema.maxLength;
  if (schema.type !== 'string' || typeof max !== 'number') return undefined;
  const character = fc.oneof(
    fc.integer({ min: 0x20, max: 0xd7ff }).map((code) => String.fromCharCode(code)),
    fc.constantFrom(' ', 'a', 'w', 'ŷ', '"', '*', '-', ':', '(', 'OR', 'NEAR'),
  );
  const text = fc.string({ unit: character, minLength: Math.max(1, max - 10), maxLength: max });
  const candidates = fc.sample(text, { seed, numRuns: 30 }).map((candidate) => candidate.slice(0, max));
  const allowed = candidates.filter((candidate) => oracle.errors(schema, candidate) === undefined);
  return allowed.sort((a, b) => b.length - a.length)[0];
}

/** The document as the worker serves it. */
export function documentFor(publicUrl = 'https://tellus.test') {
  return new ApiOracle(openApiDocument(publicUrl));
}

/** One way to break a schema: the rule broken, and a value that breaks it. */
export interface Breaking {
  rule: string;
  value: unknown;
}

const TYPES = ['string', 'integer', 'number', 'boolean', 'array', 'object', 'null'] as const;
/** Strings that break most string rules: too short, blank, a control character, unlike any pattern. */
const ODD_STRINGS = ['', ' ', '\u0007', '~~~', '%0A', 'not-a-uuid', '2026-13-45T99:00:00Z', 'A'.repeat(3)];

/** The schema's own branches when it is `anyOf` (a nullable value), or the schema itself. */
function branches(schema: JsonSchema): JsonSchema[] {
  return Array.isArray(schema.anyOf) ? (schema.anyOf as JsonSchema[]) : [schema];
}

/** The JSON types a schema takes. */
function typesOf(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  for (const branch of branches(schema)) {
    const values = [...((branch.enum as unknown[]) ?? []), ...('const' in branch ? [branch.const] : [])];
    for (const value of values)
      types.add(value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
    if (typeof branch.type === 'string') types.add(branch.type);
    if (branch.type === 'integer') types.add('number');
    if (branch.type === 'number') types.add('integer');
  }
  return types;
}

/**
 * Values that each break one rule of `schema` (a type, a bound, a length, a pattern, an enum, a
 * required or unknown field), generated by json-schema-faker from the rule turned round, and each
 * checked with ajv to be one the document refuses. `valid` is a value it takes, to vary.
 */
export function breakings(oracle: ApiOracle, schema: JsonSchema, valid: unknown, seed: number): Breaking[] {
  const found: Breaking[] = [];
  const sample = (rule: JsonSchema) => generateSync(rule as Parameters<typeof generateSync>[0], { seed });
  const types = typesOf(schema);
  const wrongType = TYPES.find((type) => !types.has(type) && !(type === 'number' && types.has('integer')));
  if (wrongType && types.size) found.push({ rule: `type ${wrongType}`, value: sample({ type: wrongType }) });
  for (const branch of branches(schema)) {
    if (typeof branch.minimum === 'number') found.push({ rule: 'minimum', value: branch.minimum - 1 });
    if (typeof branch.maximum === 'number') found.push({ rule: 'maximum', value: branch.maximum + 1 });
    if (branch.type === 'integer') found.push({ rule: 'integer', value: Number(branch.minimum ?? 0) + 0.5 });
    if (typeof branch.maxLength === 'number') {
      const length = branch.maxLength + 1;
      found.push({
        rule: 'maxLength',
        value: sample({ type: 'string', minLength: length, maxLength: length }),
      });
    }
    if (branch.type === 'string' || branch.pattern || branch.format || branch.enum) {
      for (const value of ODD_STRINGS) found.push({ rule: 'pattern, format, enum or minLength', value });
    }
    if (typeof branch.maxItems === 'number' && Array.isArray(valid) && valid.length) {
      found.push({ rule: 'maxItems', value: Array.from({ length: branch.maxItems + 1 }, () => valid[0]) });
    }
    if (typeof branch.minItems === 'number' && branch.minItems > 0)
      found.push({ rule: 'minItems', value: [] });
    if (branch.items && Array.isArray(valid)) {
      for (const item of breakings(oracle, branch.items as JsonSchema, valid[0], seed)) {
        found.push({ rule: `items: ${item.rule}`, value: [item.value] });
      }
    }
    if (branch.properties && typeof valid === 'object' && valid !== null && !Array.isArray(valid)) {
      found.push(...objectBreakings(oracle, branch, valid as Record<string, unknown>, seed));
    }
  }
  const refused = found.filter(({ value }) => oracle.errors(schema, value) !== undefined);
  // The same rule broken once is enough; the first value that breaks it stands for it.
  return [...new Map(refused.map((breaking) => [breaking.rule, breaking])).values()];
}

function objectBreakings(
  oracle: ApiOracle,
  schema: JsonSchema,
  valid: Record<string, unknown>,
  seed: number,
) {
  const found: Breaking[] = [];
  for (const name of (schema.required as string[]) ?? []) {
    const { [name]: _, ...rest } = valid;
    found.push({ rule: `required ${name}`, value: rest });
  }
  if (schema.additionalProperties === false) {
    found.push({ rule: 'no unknown fields', value: { ...valid, unexpected_field: 'x' } });
  }
  for (const [name, property] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
    for (const { rule, value } of breakings(oracle, property, valid[name], seed)) {
      found.push({ rule: `${name}: ${rule}`, value: { ...valid, [name]: value } });
    }
  }
  return found;
}
