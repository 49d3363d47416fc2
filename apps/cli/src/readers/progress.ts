import type { ReadItem } from './types.ts';

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
