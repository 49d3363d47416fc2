/**
 * The projects in scope, kept in the function's memory for a minute: Forge reuses a warm runtime for
 * later invocations, so events from projects out of scope — most of a busy site's — exit without a
 * storage read. Saving a charter in this runtime forgets it at once (`forgetScope`, called by whoever saved it); another runtime sees a change
 * within `SCOPE_TTL_MS` (the watchdog reads the scope afresh every tick).
 */
export const SCOPE_TTL_MS = 60_000;

let cached: { projects: readonly string[]; at: number } | undefined;

export async function cachedScope(read: () => Promise<readonly string[]>, now: number): Promise<readonly string[]> {
  if (cached !== undefined && now >= cached.at && now - cached.at < SCOPE_TTL_MS) return cached.projects;
  const projects = await read();
  cached = { projects, at: now };
  return projects;
}

/** After a charter is saved (and when a test harness starts): the next event reads the scope again. */
export function forgetScope(): void {
  cached = undefined;
}
