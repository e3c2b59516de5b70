/** What a product selection needs read: the properties selected, and categories (with parents) if selected. */
import { PRODUCT_FIELDS, ProductSelection } from '../../repositories/product.repository';
import type { Selection } from '../common/selection';

/** Per selection: a field under a list resolves it once per item, with the same selection (selectionOf). */
const computed = new WeakMap<Selection, ProductSelection>();

export function productSelection(selection: Selection): ProductSelection {
  let product = computed.get(selection);
  if (!product) {
    const names = selection.names();
    const categories = selection.child('categories');
    product = {
      fields: PRODUCT_FIELDS.filter((field) => names.has(field)),
      categories: !categories.selected ? 'none' : categories.has('parentId') ? 'rowsWithParent' : 'rows',
    };
    computed.set(selection, product);
  }
  return product;
}
