/**
 * The catalogue as the serving cache holds it: each product id gets a small integer once, so a
 * user's candidate list is an Int32Array of positions rather than a list of strings.
 */
import type { ProductRow } from '../../../repositories/product.repository';

export class ProductTable {
  private readonly positions = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly rows: (ProductRow | null)[] = [];

  /** The id's position, assigned on first sight; its row stays null until `set` gives it one. */
  positionOf(id: string): number {
    let position = this.positions.get(id);
    if (position === undefined) {
      position = this.rows.length;
      this.positions.set(id, position);
      this.ids.push(id);
      this.rows.push(null);
    }
    return position;
  }

  set(row: ProductRow): void {
    this.rows[this.positionOf(row.id)] = row;
  }

  /** The product at a position, or null when no row was read for it (yet). */
  row(position: number): ProductRow | null {
    return this.rows[position] ?? null;
  }

  /** The product's row by id, or null when none was read (without assigning it a position). */
  rowOf(id: string): ProductRow | null {
    const position = this.positions.get(id);
    return position === undefined ? null : this.row(position);
  }

  idAt(position: number): string {
    return this.ids[position];
  }

  get size(): number {
    return this.rows.length;
  }
}
