// `pnpm --filter @baton/jira-sim start`: a sim with the support-desk seed, for poking at by hand.
import { startJiraSim } from './start-jira-sim.ts';
import { supportDeskSeed } from './support-desk-seed.ts';

const sim = await startJiraSim({
  seed: supportDeskSeed(Date.now()),
  corsOrigins: [/^chrome-extension:\/\//, /^moz-extension:\/\//],
});
console.log(`jira-sim listening on ${sim.url} (Ctrl-C to stop)`);
