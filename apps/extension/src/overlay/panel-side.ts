import { storage } from 'wxt/utils/storage';
import type { Site } from '../messaging/protocol.ts';

// Kept by the background (`panel.side`): wxt's storage wrapper would cost the content scripts 3 kB.

/**
 * Which side of the window the panel is docked to, per site: the right by default; the left keeps
 * it clear of Gmail's compose dock (bottom right) or of a Salesforce utility bar. This device only.
 */
export type PanelSide = 'right' | 'left';

export const panelSideItem = storage.defineItem<Partial<Record<Site, PanelSide>>>('local:panel-side', {
  fallback: {},
  version: 1,
});
