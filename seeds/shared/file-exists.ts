import { access } from 'node:fs/promises';

/** True when the file can be accessed; readers use it for optional files of a layout. */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
