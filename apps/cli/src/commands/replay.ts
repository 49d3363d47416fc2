import { CliError, defineCommand } from '../command.ts';
import { createCliLanguageModel, LLM_HELP, LLM_OPTIONS } from '../llm/cli-language-model.ts';
import { runReplay } from './replay-run.ts';
import { refuseOverwritingInputs } from '../output/output-target.ts';
import { readAuditKey } from './audit.ts';

const HELP = `Usage: baton replay <inputs...> --charter <file> --out <dir> [--costs <file>] [--tick 1h] [--llm openai --llm-model <name> ...]

Walks a history in time order (every case's events merged by time), runs every pattern (router,
SLA clocks, watchdog, clerk, concierge) at every event and on a business-time clock tick, applies
the charter's gate and caps, and writes what the agent would have done:
  decisions.csv   time, case, pattern, rule, source (rules or model), action, disposition, confidence,
                  risk, reason
  summary.json    decisions per day / pattern / rule, caps hit, nudges per case, SLA breaches preceded
                  by a nudge or not, coordination minutes saved (with --costs), states the charter
                  does not name, skipped records, and the wording (with --llm)
  audit.jsonl     every decision in core's hash-chained audit, read back and verified
  replay.html     the same figures as a page
  run.json        inputs with sizes and SHA-256, options, version, completion time, the audit head
The files are staged beside --out and moved into place when complete: a failed or interrupted run
leaves the previous one untouched. Exit codes: 0 written; 1 no usable case, --strict saw a skipped
record, or a failure; 2 a usage error.

Options:
  --charter <file>   the agent charter (YAML or JSON); an invalid charter is refused with every problem
  --out <dir>        where to write the files (created if missing)
  --costs <file>     minutes per handoff / status check / exception / message and the cost per hour
  --tick <duration>  business time between clock ticks: 1h (default), 4h, 1d, or off (events only:
                     no stall, SLA or missing-information reminders, which need time to pass)
  --owner <attr>     event logs: the attribute that names the owner (default org:resource)
  --strict           fail (exit 1, nothing written) when any record is skipped
  --key-env <NAME>   sign the audit's seal with HMAC-SHA-256, keyed by the environment variable NAME
                     (at least 16 characters); \`baton audit verify --key-env NAME\` then detects a
                     recomputed chain. The head printed on stdout detects a cut one.

${LLM_HELP}
  In a replay the model words the messages of the example decisions on replay.html (at most 60),
  after every decision is made and written: decisions.csv and audit.jsonl are byte for byte what
  the same replay writes without a model. An unusable answer (timeout, 429, 5xx, invalid, refused)
  keeps the rules' text and is counted in summary.json and on stdout.
  Only where the charter says routing.modelClassify: { enabled: true, fields: [components] } does
  the model also classify: once per case, on the text the case had when it was created, picking one
  of the labels routing.classify names for the field. Its proposals pass the same charter gate,
  capped below confidence.act (a person accepts them), and are marked model-made: source model
  beside the rule router.classify (router.owner when its guess chose the owner), 'model-made: llm:…'
  in the reason, in decisions.csv and the audit. A failed call leaves the case to the keyword rules
  and is counted (summary.json modelClassify, stdout).

Example:
  pnpm baton replay apps/cli/data/bpic2013-incidents.xes.gz --charter examples/charters/bpic2013-incidents.yaml --owner org:group --out out/replay
`;

export const replayCommand = defineCommand({
  name: 'replay',
  summary: 'replay a history: what the agent would have done, under a charter',
  help: HELP,
  options: {
    charter: { type: 'string' },
    out: { type: 'string' },
    costs: { type: 'string' },
    tick: { type: 'string', default: '1h' },
    owner: { type: 'string' },
    strict: { type: 'boolean' },
    'key-env': { type: 'string' },
    ...LLM_OPTIONS,
  },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new CliError('expected at least one input file\n\n' + HELP, 2);
    const charterPath = values['charter'];
    const outDir = values['out'];
    if (typeof charterPath !== 'string') throw new CliError('--charter <file> is required', 2);
    if (typeof outDir !== 'string') throw new CliError('--out <dir> is required', 2);
    const costs = values['costs'];
    const owner = values['owner'];
    const { resolve } = await import('node:path');
    const auditKey = readAuditKey(values['key-env'], io);
    const cache = values['llm-cache'];
    if (typeof cache === 'string')
      await refuseOverwritingInputs(resolve(io.cwd, cache), '--llm-cache', [
        ...positionals.map((p) => ({ path: resolve(io.cwd, p), role: 'input' })),
        { path: resolve(io.cwd, charterPath), role: 'charter' },
      ]);
    // Checked before the replay starts: a bad --llm flag is a usage error, not a late surprise.
    const llm = await createCliLanguageModel(values, io.env ?? {}, { cwd: io.cwd });
    const result = await runReplay(
      {
        inputs: positionals.map((p) => resolve(io.cwd, p)),
        charterPath: resolve(io.cwd, charterPath),
        outDir,
        ...(typeof costs === 'string' ? { costsPath: resolve(io.cwd, costs) } : {}),
        tick: String(values['tick'] ?? '1h'),
        ...(typeof owner === 'string' ? { eventLog: { ownerKey: owner } } : {}),
        ...(llm === undefined ? {} : { model: llm.model }),
        strict: values['strict'] === true,
        ...(auditKey === undefined ? {} : { auditKey }),
        recordedOptions: values,
      },
      io,
    );
    const s = result.summary;
    io.stdout(
      `replayed ${result.events.toLocaleString('en-US')} events of ${result.cases.toLocaleString('en-US')} cases and ${result.ticks.toLocaleString('en-US')} ticks in ${result.seconds.toFixed(1)} s ` +
        `(${Math.round(result.events / Math.max(result.seconds, 1e-3)).toLocaleString('en-US')} events/s)\n` +
        `${s.decisions.toLocaleString('en-US')} decisions: ${['act', 'suggest', 'escalate', 'drop'].map((d) => `${s.byDisposition[d] ?? 0} ${d}`).join(', ')}\n` +
        `audit: ${result.audit.entries.toLocaleString('en-US')} entries, chain verified, sealed at head ${result.audit.head}${result.audit.signed ? ` (signed with ${String(values['key-env'])})` : ''}\n` +
        (result.modelClassify === null
          ? ''
          : `classification (${result.modelClassify.fields.join(', ')}): ${result.modelClassify.answered} of ${result.modelClassify.asked} cases by the model (model-made, below the act line), ${result.modelClassify.fellBack} fell back to the keyword rules\n`) +
        (llm === undefined
          ? ''
          : `wording: ${result.wording.worded} of ${result.wording.messages} example messages by the model, ${result.wording.fellBack} fell back to the rules; ${llm.summary()}\n`) +
        result.files.map((f) => `  ${f}\n`).join(''),
    );
    return 0;
  },
});
