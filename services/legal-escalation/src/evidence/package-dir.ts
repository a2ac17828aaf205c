import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { packageFiles, packageItem, type EvidencePackage, type PackageItem } from './evidence-package';
import { MANIFEST_FILE, packageIdOf, SIGNATURE_FILE } from './manifest';

/**
 * Writes a package as a directory: the six items, `manifest.json` (its exact bytes) and `manifest.sig`. The
 * directory is made if need be; a file of a package already there is refused, not overwritten.
 */
export async function writePackageDir(pkg: EvidencePackage, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const file of packageFiles(pkg)) {
    if (file.name !== path.basename(file.name) || file.name.startsWith('.')) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The package names an item ${JSON.stringify(file.name)}, which is not a plain file name`, { field: 'items' });
    }
    const target = path.join(dir, file.name);
    try {
      await writeFile(target, file.bytes, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ArrearsError(ErrorCode.STATE_CONFLICT, `${target} already exists: export into an empty directory`, { field: 'out' });
      }
      throw error;
    }
    written.push(target);
  }
  return written;
}

/**
 * Reads a package directory back as it is, without judging it: the package id is the SHA-256 of `manifest.json`,
 * every other regular file but `manifest.sig` is an item. `verifyPackage` then says what, if anything, is wrong.
 */
export async function readPackageDir(dir: string): Promise<EvidencePackage> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    throw new ArrearsError(ErrorCode.NOT_FOUND, `Cannot read the package directory ${dir}: ${(error as Error).message}`, { field: 'dir', cause: error });
  }
  for (const required of [MANIFEST_FILE, SIGNATURE_FILE]) {
    if (!names.includes(required)) throw new ArrearsError(ErrorCode.NOT_FOUND, `${dir} is not a package directory: it has no ${required}`, { field: 'dir' });
  }
  const manifestBytes = await readFile(path.join(dir, MANIFEST_FILE));
  const signature = (await readFile(path.join(dir, SIGNATURE_FILE), 'utf8')).trim();
  const items: PackageItem[] = [];
  for (const name of names.filter((candidate) => candidate !== MANIFEST_FILE && candidate !== SIGNATURE_FILE && !candidate.startsWith('.')).sort()) {
    items.push(packageItem(name, await readFile(path.join(dir, name))));
  }
  return { packageId: packageIdOf(manifestBytes), manifestBytes, signature, items };
}
