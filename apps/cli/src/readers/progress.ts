import type { ReadItem } from './types.ts';
import { fileSize } from './open-text.ts';

/**
 * Throttles progress items to about one per percent of the file (and at least one per 4 MiB),
 * so a consumer drawing a bar on a TTY is not flooded.
 */
export function createProgress(total: number): (bytesRead: number, force?: boolean) => ReadItem | undefined {
  const step = Math.max(1, Math.min(Math.floor(total / 100), 4 << 20));
  let last = -1;
  return (bytesRead, force = false) => {
    if (!force && last >= 0 && bytesRead - last < step) return undefined;
    if (bytesRead === last) return undefined;
    last = bytesRead;
    return { type: 'progress', bytesRead, bytesTotal: total };
  };
}

/**
 * `createProgress` over a file's size, with that size (the final progress item's total). A file that cannot be stat'ed gets a total of 0: the read
 * that follows reports the real error with the file's name.
 */
export async function createFileProgress(
  path: string,
): Promise<{ progress: ReturnType<typeof createProgress>; total: number }> {
  let total = 0;
  try {
    total = await fileSize(path);
  } catch {
    // reported by the reader's readText
  }
  return { progress: createProgress(total), total };
}
