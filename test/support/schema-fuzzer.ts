/**
 * Generates GraphQL requests from the checked-in schema (schema/schema.graphql) for one root field:
 * arguments of the right type at their boundaries, of the wrong type, huge strings and lists,
 * unicode edge cases and injection strings in every string argument, sent as variables or inline,
 * under aliases, inside fragments, or as a batched (array) body. Deterministic by seed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildSchema,
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isInterfaceType,
  isUnionType,
} from 'graphql';
import { SeededRandom } from '../../graph-models/data/random';

export function loadSchema(root: string): GraphQLSchema {
  return buildSchema(fs.readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8'));
}

export const INJECTIONS = [
  "' OR 1=1 --",
  '") RETURN 1 //',
  '`) MATCH (n) DETACH DELETE n //',
  '$id',
  '{{textEmbeddingDim}}',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '%s%s%s%n',
  '${process.exit()}',
  '__proto__',
  'constructor',
  'user:',
  ':',
];

export const UNICODE = ['', ' ', '\t\n', '\u0000', '\ud800', '\udfff', '😀👩‍👩‍👧', 'مرحبا\u202e', 'Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍', '\ufeff', 'ǅ', 'ß'.repeat(300)];

export const HUGE_STRING = 'a'.repeat(200_000);

export interface FuzzCase {
  /** The JSON body to POST: one request or (batched) an array of them. */
  body: unknown;
  /** What kind of case this is, for the printed summary. */
  kind: string;
}

export class SchemaFuzzer {
  private readonly random: SeededRandom;

  constructor(
    private readonly schema: GraphQLSchema,
    seed: number,
    /** Prefix for ids written by mutations, so fuzzed data stays in the suite's own namespace. */
    private readonly idPrefix: string,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** Every root operation as [root type, field name]. */
  operations(): [string, string][] {
    const out: [string, string][] = [];
    for (const root of [this.schema.getQueryType(), this.schema.getMutationType()]) {
      if (!root) continue;
      for (const name of Object.keys(root.getFields())) out.push([root.name, name]);
    }
    return out;
  }

  next(rootName: string, fieldName: string): FuzzCase {
    const root = this.schema.getType(rootName) as GraphQLObjectType;
    const field = root.getFields()[fieldName];
    const keyword = rootName === 'Mutation' ? 'mutation' : 'query';
    const writes = rootName === 'Mutation';
    const style = this.pick(['variables', 'variables', 'variables', 'inline', 'alias', 'fragment', 'batch', 'wrong-type']);
    const args = field.args.filter((a) => isNonNullType(a.type) || this.random.next() < 0.7);
    const values = new Map(args.map((a) => [a.name, style === 'wrong-type' && this.random.next() < 0.6 ? this.wrongValue(a.type) : this.value(a.type, writes, 0)]));
    const selection = this.selection(field, 0);
    let fieldText: string;
    let definitions = '';
    let variables: Record<string, unknown> = {};
    if (style === 'inline') {
      const argText = args.map((a) => `${a.name}: ${literal(values.get(a.name))}`).join(', ');
      fieldText = `${fieldName}${argText ? `(${argText})` : ''}${selection}`;
    } else {
      variables = Object.fromEntries(values);
      definitions = args.length > 0 ? `(${args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
      const argText = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      fieldText = `${fieldName}${argText ? `(${argText})` : ''}${selection}`;
    }
    let query: string;
    if (style === 'alias') {
      query = `${keyword} Fuzz${definitions} { first: ${fieldText} second: ${fieldText} }`;
    } else if (style === 'fragment') {
      query = `${keyword} Fuzz${definitions} { ...F } fragment F on ${rootName} { ${fieldText} }`;
    } else {
      query = `${keyword} Fuzz${definitions} { ${fieldText} }`;
    }
    const request = { query, variables, operationName: 'Fuzz' };
    return { body: style === 'batch' ? [request, request] : request, kind: style };
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.random.int(items.length)];
  }

  /** A value of the type, valid in shape most of the time, at the edges of what it allows. */
  private value(type: GraphQLInputType, writes: boolean, depth: number, inLongList = false): unknown {
    if (isNonNullType(type)) return this.value(type.ofType, writes, depth, inLongList);
    if (isListType(type)) {
      const size = this.pick([0, 1, 2, 3, depth === 0 && !isInputObjectType(getNamedType(type)) ? 20_000 : 3]);
      // A long list of huge strings would be a body of up to 160 MB: seconds to build and refuse.
      return Array.from({ length: size }, () => this.value(type.ofType, writes, depth + 1, size > 3));
    }
    if (isEnumType(type)) return this.random.next() < 0.9 ? this.pick(type.getValues()).value : 'NOT_A_VALUE';
    if (isInputObjectType(type)) {
      if (depth > 3) return {};
      const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || this.random.next() < 0.6);
      return Object.fromEntries(fields.map((f) => [f.name, this.value(f.type, writes, depth + 1)]));
    }
    if (isScalarType(type)) return this.scalar(type.name, writes, inLongList);
    return null;
  }

  private scalar(name: string, writes: boolean, inLongList = false): unknown {
    switch (name) {
      case 'Int':
        return this.pick([0, 1, -1, 2, 10, 100, 101, 1000, 2147483647, -2147483648]);
      case 'Float':
        return this.pick([0, -0, 0.5, 1, 5, 5.0001, -1, 1e-300, 1e300, 0.49999]);
      case 'Boolean':
        return this.random.next() < 0.5;
      case 'DateTime':
        return this.pick(['2024-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59Z', 'yesterday', '2024-02-30T00:00:00Z', '']);
      case 'ID':
      case 'String': {
        const text = this.pick([...INJECTIONS, ...UNICODE, ...(inLongList ? [] : [HUGE_STRING]), 'ml-u1', 'user:ml-u1', 'product:ml-m1']);
        // Written ids stay under the suite's prefix; the text after it is still the fuzzed one.
        return writes && name === 'ID' ? `${this.idPrefix}${text.slice(0, 100)}` : text;
      }
      default:
        return this.pick(['{}', '[]', 'x', '']);
    }
  }

  /** A value of some other type than the argument's. */
  private wrongValue(type: GraphQLInputType): unknown {
    const named = getNamedType(type);
    const options: unknown[] = [null, 'not a number', 3.7, 2147483648, -2147483649, true, { nested: 'object' }, [1, 2], ''];
    if (isScalarType(named) && (named.name === 'Int' || named.name === 'Float')) options.push('12', '1e3');
    return this.pick(options);
  }

  /** Scalar fields of the return type (two levels), never fields that need arguments. */
  private selection(field: GraphQLField<unknown, unknown>, depth: number): string {
    const named = getNamedType(field.type);
    return selectionOf(named, depth);
  }
}

function selectionOf(named: GraphQLNamedType, depth: number): string {
  if (isUnionType(named) || isInterfaceType(named)) return ' { __typename }';
  if (!isObjectType(named)) return '';
  const parts: string[] = ['__typename'];
  for (const child of Object.values(named.getFields())) {
    if (child.args.some((a: GraphQLArgument) => isNonNullType(a.type))) continue;
    const childNamed = getNamedType(child.type);
    if (isScalarType(childNamed) || isEnumType(childNamed)) parts.push(child.name);
    else if (depth < 1) parts.push(`${child.name}${selectionOf(childNamed, depth + 1)}`);
  }
  return ` { ${parts.join(' ')} }`;
}

/** A JS value as a GraphQL literal (enum-looking strings stay strings: the type decides). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`).join(', ')}}`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return JSON.stringify(value);
}
