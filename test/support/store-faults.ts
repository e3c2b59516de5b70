/**
 * Stores that refuse writes, for the fault suite: a read-only directory (a read-only bind mount as
 * root, since root writes through chmod; chmod 0555 otherwise) and a full disk (a tiny tmpfs filled
 * up; root only). Each returns its path and a cleanup that undoes the mount.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface FaultyStore {
  dir: string;
  cleanup(): void;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export function readOnlyDir(label: string): FaultyStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-ro-`));
  if (!isRoot()) {
    fs.chmodSync(dir, 0o555);
    return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  execFileSync('mount', ['--bind', '-o', 'ro', dir, dir]);
  return {
    dir,
    cleanup: () => {
      execFileSync('umount', [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A 256 KiB tmpfs with every byte taken by a filler file: creating files works, writing them fails with ENOSPC. */
export function fullDisk(label: string): FaultyStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-full-`));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
  const filler = fs.openSync(path.join(dir, 'filler'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(filler, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(filler);
  }
  return {
    dir,
    cleanup: () => {
      execFileSync('umount', [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
