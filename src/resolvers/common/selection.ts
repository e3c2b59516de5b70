/**
 * What a client selected below the field being resolved (graphql-parse-resolve-info: fragments,
 * aliases, @include/@skip and variables applied), so services read only that. A field resolved for
 * every item of a list would parse the same selection each time: the parse is kept per field nodes
 * and variables, both the same objects for every item of one request.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, ResolveTree } from 'graphql-parse-resolve-info';

/** The selections of one field (all its aliases), with the fields below them. */
export class Selection {
  constructor(private readonly trees: readonly ResolveTree[]) {}

  /** Field names selected directly below. */
  names(): Set<string> {
    const names = new Set<string>();
    for (const tree of this.trees) for (const fields of Object.values(tree.fieldsByTypeName)) for (const child of Object.values(fields)) names.add(child.name);
    return names;
  }

  has(name: string): boolean {
    return this.names().has(name);
  }

  /** The selection of a field below (every alias of it merged); empty when not selected. */
  child(name: string): Selection {
    const children: ResolveTree[] = [];
    for (const tree of this.trees) for (const fields of Object.values(tree.fieldsByTypeName)) for (const child of Object.values(fields)) if (child.name === name) children.push(child);
    return new Selection(children);
  }

  /** Following `names` down (e.g. edges, node). */
  path(...names: string[]): Selection {
    return names.reduce<Selection>((selection, name) => selection.child(name), this);
  }

  /** The arguments of the first alias of this field, or null when it is not selected. */
  firstArgs(): Record<string, unknown> | null {
    return this.trees[0]?.args ?? null;
  }

  get selected(): boolean {
    return this.trees.length > 0;
  }
}

const parsed = new WeakMap<object, WeakMap<object, Selection>>();

/** The selection below the field `info` resolves. */
export function selectionOf(info: GraphQLResolveInfo): Selection {
  let byVariables = parsed.get(info.fieldNodes);
  if (!byVariables) {
    byVariables = new WeakMap();
    parsed.set(info.fieldNodes, byVariables);
  }
  let selection = byVariables.get(info.variableValues);
  if (!selection) {
    const tree = parseResolveInfo(info) as ResolveTree | null | undefined;
    selection = new Selection(tree ? [tree] : []);
    byVariables.set(info.variableValues, selection);
  }
  return selection;
}
