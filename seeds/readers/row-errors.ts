import { DataFileError, DataFileErrors } from './csv';

/**
 * Collects bad rows while a file is read, so one run reports many problems, and stops collecting
 * after `limit` so a file that is wrong throughout does not produce a million-line message.
 */
export class RowErrors {
  private readonly errors: DataFileError[] = [];
  private truncated = false;

  constructor(private readonly limit = 50) {}

  add(file: string, line: number, reason: string): void {
    if (this.errors.length < this.limit) this.errors.push(new DataFileError(file, line, reason));
    else this.truncated = true;
  }

  get count(): number {
    return this.errors.length;
  }

  /** Throws every collected error as one DataFileErrors; does nothing when all rows were good. */
  throwIfAny(): void {
    if (this.errors.length > 0) throw new DataFileErrors([...this.errors], this.truncated);
  }
}
