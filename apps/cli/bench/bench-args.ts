/** Takes `name` and the value after it out of `args` (a bench's command line): the value, or `undefined` when absent. */
export function takeOption(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
}
