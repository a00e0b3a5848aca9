/**
 * The message files that `parse` and `classify` read: names as given, a folder meaning its files in
 * name order (without dotfiles and the *.md / *.json that sit beside fixtures), each read only up to
 * a bound so that a huge file costs no more memory than the largest message.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Bigger than any SIP message we accept, so that the parser reports SIP_TOO_LARGE itself. */
export const MAX_MESSAGE_READ = 65_536 + 1;

export interface FileEntry {
  readonly path: string;
  readonly shown: string;
  readonly problem?: { code: string; message: string };
}

/** Files as given; a folder gives its files in name order, without the *.md and *.json beside fixtures. */
export async function expandFiles(names: string[], cwd: string): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  for (const name of names) {
    const path = resolve(cwd, name);
    try {
      const info = await stat(path);
      if (!info.isDirectory()) {
        entries.push({ path, shown: name });
        continue;
      }
      const children = (await readdir(path, { withFileTypes: true }))
        .filter((child) => child.isFile() && !child.name.startsWith('.') && !child.name.endsWith('.md') && !child.name.endsWith('.json'))
        .map((child) => child.name)
        .sort();
      for (const child of children) entries.push({ path: join(path, child), shown: join(name, child) });
    } catch (error) {
      entries.push({ path, shown: name, problem: readProblem(error) });
    }
  }
  return entries;
}

/** Reads at most `limit` bytes: a huge file costs no more memory than the largest message. */
export async function readHead(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

export function readProblem(error: unknown): { code: string; message: string } {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { code: 'GG_ERR_READ', message: 'no such file' };
  if (code === 'EACCES') return { code: 'GG_ERR_READ', message: 'permission denied' };
  if (code === 'EISDIR') return { code: 'GG_ERR_READ', message: 'is a folder' };
  return { code: 'GG_ERR_READ', message: `cannot read: ${code ?? (error as Error).message}` };
}
