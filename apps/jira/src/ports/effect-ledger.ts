import type { EffectRecord } from '../contracts/effect-record.ts';

/** The effect ledger: one idempotency key per decision, claimed before acting, so a redelivery never acts twice. */
export interface EffectLedger {
  /** Claims an idempotency key; `false` when someone (an earlier delivery) already holds it. */
  claimEffect(key: string, at: number): Promise<boolean>;
  getEffect(key: string): Promise<EffectRecord | undefined>;
  setEffect(key: string, r: EffectRecord): Promise<void>;
  /** Gives up a claim whose effect did not happen (e.g. deferred by the cap), so a later attempt may act. */
  releaseEffect(key: string): Promise<void>;
}
