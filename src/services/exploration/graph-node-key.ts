/**
 * How analysts address nodes: `<kind>:<domain id>`, e.g. "user:ml-u1", "product:ml-m1",
 * "category:genre:drama", "segment:s-3". The kind is split off at the first colon only, so domain
 * ids may contain colons themselves.
 */
import { BadInputError } from '../../errors';
import type { GraphLabel, GraphNodeRow } from '../../repositories/exploration.repository';

const KIND_TO_LABEL: Record<string, GraphLabel> = { user: 'User', product: 'Product', category: 'Category', segment: 'Segment' };
const LABEL_TO_KIND: Record<GraphLabel, string> = { User: 'user', Product: 'product', Category: 'category', Segment: 'segment' };

export interface NodeKey {
  label: GraphLabel;
  id: string;
}

export function parseNodeKey(key: string, argument = 'nodeId'): NodeKey {
  const colon = key.indexOf(':');
  const label = colon > 0 ? KIND_TO_LABEL[key.slice(0, colon).toLowerCase()] : undefined;
  const id = key.slice(colon + 1);
  if (!label || id === '') {
    throw new BadInputError(`${argument} must look like "user:<id>", "product:<id>", "category:<id>" or "segment:<id>"; got "${key}"`, {
      argument,
    });
  }
  return { label, id };
}

export function nodeKey(node: Pick<GraphNodeRow, 'label' | 'id'>): string {
  return `${LABEL_TO_KIND[node.label]}:${node.id}`;
}
