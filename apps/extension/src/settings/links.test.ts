import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MAX_LINKS, createLinkStore, linksItem } from './links.ts';

describe('link store', () => {
  beforeEach(() => fakeBrowser.reset());

  it('remembers, changes and forgets a page’s link', async () => {
    let t = 0;
    const links = createLinkStore(() => t++);
    expect(await links.get('gmail:a')).toBeNull();
    await links.set('gmail:a', 'SUP-1');
    await links.set('gmail:a', 'SUP-2');
    expect(await links.get('gmail:a')).toBe('SUP-2');
    await links.set('gmail:a', null);
    expect(await links.get('gmail:a')).toBeNull();
  });

  it('keeps only the most recent links', async () => {
    let t = 0;
    const links = createLinkStore(() => t++);
    await linksItem.setValue(
      Object.fromEntries(Array.from({ length: MAX_LINKS }, (_, i) => [`p${i}`, { key: 'SUP-1', at: i }])),
    );
    t = MAX_LINKS;
    await links.set('new', 'SUP-9');
    const stored = await linksItem.getValue();
    expect(Object.keys(stored)).toHaveLength(MAX_LINKS);
    expect(stored.p0).toBeUndefined();
    expect(stored.new?.key).toBe('SUP-9');
  });

  it('ignores a corrupted store instead of failing', async () => {
    await fakeBrowser.storage.local.set({ links: 'garbage' });
    expect(await createLinkStore(() => 0).get('x')).toBeNull();
  });
});
