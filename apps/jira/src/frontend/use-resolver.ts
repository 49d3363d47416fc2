import { useEffect, useState } from 'react';
import type { ContractInput, ContractName, ContractOutput } from '../contracts/resolver-contracts.ts';
import { callResolver } from './call-resolver.ts';
import type { Loaded } from './call-resolver.ts';

export { callResolver } from './call-resolver.ts';
export type { Loaded, PathIssue } from './call-resolver.ts';

export function useResolver<N extends ContractName>(
  name: N,
  input: ContractInput<N> | undefined,
  refresh = 0,
): Loaded<ContractOutput<N>> {
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
