import { invoke } from '@forge/bridge';
import { useEffect, useState } from 'react';
import { envelopeSchema } from '../contracts/envelope.ts';
import { CONTRACTS } from '../contracts/resolver-contracts.ts';
import type { ContractInput, ContractName, ContractOutput } from '../contracts/resolver-contracts.ts';

export type Loaded<T> = { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; message: string };

/** Calls a resolver over the bridge and parses the envelope with the same contract the backend uses. */
export async function callResolver<N extends ContractName>(name: N, input: ContractInput<N>): Promise<Loaded<ContractOutput<N>>> {
  const raw = await invoke(name, input as Record<string, unknown>);
  const env = envelopeSchema(CONTRACTS[name].output).safeParse(raw);
  if (!env.success) return { status: 'error', message: 'Unexpected answer from Baton.' };
  return env.data.ok ? { status: 'ok', data: env.data.data as ContractOutput<N> } : { status: 'error', message: env.data.error.message };
}

export function useResolver<N extends ContractName>(name: N, input: ContractInput<N> | undefined, refresh = 0): Loaded<ContractOutput<N>> {
  const [state, setState] = useState<Loaded<ContractOutput<N>>>({ status: 'loading' });
  const key = JSON.stringify(input);
  useEffect(() => {
    if (input === undefined) return;
    let live = true;
    void callResolver(name, input).then((r) => live && setState(r));
    return () => {
      live = false;
    };
    // `key` stands for `input`'s content.
  }, [name, key, refresh]);
  return state;
}
