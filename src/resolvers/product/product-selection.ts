/** What a product selection needs read: the properties selected, and categories (with parents) if selected. */
import { PRODUCT_FIELDS, ProductSelection } from '../../repositories/product.repository';
import type { Selection } from '../common/selection';

export function productSelection(selection: Selection): ProductSelection {
  const names = selection.names();
  const categories = selection.child('categories');
  return {
    fields: PRODUCT_FIELDS.filter((field) => names.has(field)),
    categories: !categories.selected ? 'none' : categories.has('parentId') ? 'rowsWithParent' : 'rows',
  };
}
