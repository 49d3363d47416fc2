import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { CliError, defineCommand, type CliIO } from '../command.ts';
import { verifyAuditFile } from './replay-audit.ts';

const HELP = `Usage: baton audit verify <audit.jsonl> [--head <hash>] [--key-env <NAME>]

Checks an audit log written by \`baton replay\`: every entry's hash covers every field of its line,
each entry links to the one before, in sequence, and the last line's seal holds the entry count and
the head hash. Any edited, added, removed or reordered entry or field fails.

The file alone cannot show that it was cut short and resealed, or recomputed from an edited entry:
give what you kept apart from it.
  --head <hash>      the head the replay printed (stdout, summary.json, run.json): a log cut short,
                     to its first line or by a thousand lines, or recomputed, ends elsewhere
  --key-env <NAME>   the environment variable holding the HMAC key the replay signed the seal with
                     (replay --key-env): a recomputed or resealed log is not signed with it

Exit codes: 0 the log verifies; 1 it does not (the line and the reason are printed), or it cannot be
read; 2 a usage error.
`;

/** The HMAC key named by `--key-env`, or undefined without the option; a usage error when unset or short. */
export function readAuditKey(name: unknown, io: CliIO): string | undefined {
  if (name === undefined) return undefined;
  const key = io.secretEnv?.(String(name));
  if (key === undefined) throw new CliError(`--key-env ${String(name)}: the variable ${String(name)} is not set`, 2);
  if (key.length < 16) throw new CliError(`--key-env ${String(name)}: expected a key of at least 16 characters`, 2);
  return key;
}

export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'verify an audit log written by replay (chain, seal, head, HMAC signature)',
  help: HELP,
  options: {
    head: { type: 'string' },
    'key-env': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [action, file, ...extra] = positionals;
    if (action !== 'verify' || file === undefined || extra.length > 0)
      throw new CliError(`expected: baton audit verify <audit.jsonl> [--head <hash>] [--key-env <NAME>]`, 2);
    const head = values['head'];
    if (head !== undefined && !/^[0-9a-f]{64}$/i.test(String(head)))
      throw new CliError('--head: expected the 64 hex digits of the head hash', 2);
    const key = readAuditKey(values['key-env'], io);
    const path = resolve(io.cwd, file);
    try {
      if (!(await stat(path)).isFile()) throw new CliError(`${file}: not a file`);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const check = await verifyAuditFile(path, {
      ...(head === undefined ? {} : { expectedHead: String(head).toLowerCase() }),
      ...(key === undefined ? {} : { key }),
    });
    if (!check.ok) {
      io.stderr(`${file}:${check.line}: does not verify: ${check.problem}\n`);
      return 1;
    }
    const how =
      check.seal === 'signed'
        ? 'the seal is signed with the key'
        : check.seal === 'sealed'
          ? head === undefined
            ? 'sealed; give --head or --key-env to detect a log cut short and resealed, or recomputed'
            : 'sealed, and ends at the head given'
          : head === undefined
            ? 'no seal: a cut at the end cannot be seen without --head'
            : 'no seal, and ends at the head given';
    io.stdout(
      `${file}: ${check.entries.toLocaleString('en-US')} entries, chain verified, head ${check.head}; ${how}\n`,
    );
    return 0;
  },
});
