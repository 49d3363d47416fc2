import { invoke } from '@forge/bridge';
import * as z from 'zod';
import { envelopeSchema } from '../contracts/envelope.ts';
import { CONTRACTS } from '../contracts/resolver-contracts.ts';
import type { ContractInput, ContractName, ContractOutput } from '../contracts/resolver-contracts.ts';

/** A problem the backend located by path (an invalid charter, an invalid field), as it sent it. */
export interface PathIssue {
  code: string;
  path: (string | number)[];
  message: string;
}

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; message: string; code?: string; issues?: PathIssue[] };

const PathIssuesSchema = z.array(
  z.object({ code: z.string(), path: z.array(z.union([z.string(), z.number()])), message: z.string() }),
);

/**
 * Calls a resolver over the bridge and parses the envelope with the same contract the backend uses.
 * No React here: the UI Kit pages (through `use-resolver.ts`) and the Custom UI dashboard share it.
 */
export async function callResolver<N extends ContractName>(
  name: N,
  input: ContractInput<N>,
): Promise<Loaded<ContractOutput<N>>> {
  const raw = await invoke(name, input as Record<string, unknown>);
  const env = envelopeSchema(CONTRACTS[name].output).safeParse(raw);
  if (!env.success) return { status: 'error', message: 'Unexpected answer from Baton.' };
  if (env.data.ok) return { status: 'ok', data: env.data.data as ContractOutput<N> };
  const { code, message, details } = env.data.error;
  const issues = PathIssuesSchema.safeParse(details);
  return { status: 'error', message, code, ...(issues.success ? { issues: issues.data } : {}) };
}
