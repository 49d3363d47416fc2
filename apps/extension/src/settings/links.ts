import { storage } from 'wxt/utils/storage';
import * as z from 'zod/mini';

/** Which Jira issue the rep linked to a page (a Gmail thread, a Salesforce record). Kept on this device. */
const LinkSchema = z.object({ key: z.string(), at: z.number() });
const LinksSchema = z.record(z.string(), LinkSchema);
export type Links = z.infer<typeof LinksSchema>;

/** Oldest links are dropped past this count; storage.local holds far more, but nobody needs a year of threads. */
export const MAX_LINKS = 1000;

export const linksItem = storage.defineItem<Links>('local:links', { fallback: {}, version: 1 });

export interface LinkStore {
  get(pageId: string): Promise<string | null>;
  set(pageId: string, key: string | null): Promise<void>;
}

export function createLinkStore(clock: () => number): LinkStore {
  const read = async (): Promise<Links> => {
    const parsed = LinksSchema.safeParse(await linksItem.getValue());
    return parsed.success ? parsed.data : {};
  };
  return {
    async get(pageId) {
      return (await read())[pageId]?.key ?? null;
    },
    async set(pageId, key) {
      const links = await read();
      if (key === null) delete links[pageId];
      else links[pageId] = { key, at: clock() };
      const entries = Object.entries(links)
        .sort((a, b) => b[1].at - a[1].at)
        .slice(0, MAX_LINKS);
      await linksItem.setValue(Object.fromEntries(entries));
    },
  };
}
