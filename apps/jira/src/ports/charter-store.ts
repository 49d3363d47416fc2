import type { CharterRecord } from '../contracts/charter.ts';

/** The charters by scope (a project key, or the site's), versioned: the admin page saves them, every use case reads them. */
export interface CharterStore {
  getCharter(scope: string): Promise<CharterRecord | undefined>;
  getCharterVersion(scope: string, version: number): Promise<CharterRecord | undefined>;
  /** Saves a new version if `expectedVersion` is still current; returns `conflict` otherwise. */
  saveCharter(
    scope: string,
    record: Omit<CharterRecord, 'version'>,
    expectedVersion: number,
  ): Promise<CharterRecord | 'conflict'>;
}
