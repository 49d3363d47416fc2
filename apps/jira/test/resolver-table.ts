import type { ContractName } from '../src/contracts/resolver-contracts.ts';

/**
 * One row per resolver contract: a valid payload and who may send it, a bad payload and the path it
 * is rejected at, and someone who may not call it. Typed by `ContractName`, so a new contract
 * without a row does not compile (test/resolver-contracts.test.ts; test/openai-key.test.tsx scans
 * every answer for the API key).
 */
export interface ResolverRow {
  valid: Record<string, unknown>;
  bad: unknown;
  badPath: string;
  /** Someone who may not: a customer for issue resolvers, an agent for admin ones. */
  outsider: string;
  insider: string;
}
const AGENT = 'u-ada';
const ADMIN = 'u-grace';
const CUSTOMER = 'u-cust';
const issue = { outsider: CUSTOMER, insider: AGENT };
const admin = { outsider: AGENT, insider: ADMIN };

export const RESOLVER_TABLE: Record<ContractName, ResolverRow> = {
  getIssueView: { ...issue, valid: { issueKey: 'SUP-1' }, bad: { issueKey: 'sup-1' }, badPath: 'issueKey' },
  getHandoffPacket: { ...issue, valid: { issueKey: 'SUP-1' }, bad: { issueKey: 'SUP-1 ' }, badPath: 'issueKey' },
  answerSuggestion: {
    ...issue,
    valid: { issueKey: 'SUP-1', suggestionKey: 'none-pending', verdict: 'accept' },
    bad: { issueKey: 'SUP-1', suggestionKey: 'k', verdict: 'override' },
    badPath: 'reason',
  },
  draftUpdate: {
    ...issue,
    valid: { issueKey: 'SUP-2', audience: 'internal' },
    bad: { issueKey: 'SUP-2', audience: 'board' },
    badPath: 'audience',
  },
  postDraft: {
    ...issue,
    valid: { issueKey: 'SUP-2', text: 'Work continues.', confirmed: true },
    bad: { issueKey: 'SUP-2', text: 'Work continues.', confirmed: false },
    badPath: 'confirmed',
  },
  getCharter: { ...admin, valid: { scope: 'global' }, bad: { scope: 'sup' }, badPath: 'scope' },
  getPickerOptions: { ...admin, valid: { scope: 'SUP' }, bad: { scope: 'SUP-1' }, badPath: 'scope' },
  checkFieldWrites: { ...admin, valid: { scope: 'SUP' }, bad: { scope: 'SUP-1' }, badPath: 'scope' },
  saveCharter: {
    ...admin,
    valid: { scope: 'SUP', yaml: 'version: 2\nautonomy:\n  kinds: { notify: automate }\n', expectedVersion: 0 },
    bad: { scope: 'SUP', yaml: 42, expectedVersion: 0 },
    badPath: 'yaml',
  },
  startDryRun: {
    ...admin,
    valid: { projectKey: 'SUP', days: 1 },
    bad: { projectKey: 'SUP', days: 0 },
    badPath: 'days',
  },
  getDryRun: {
    ...admin,
    valid: { projectKey: 'SUP', runId: 'no-such-run' },
    bad: { projectKey: 'SUP', runId: '' },
    badPath: 'runId',
  },
  getAuditLog: {
    ...admin,
    valid: { projectKey: 'SUP', outcome: 'executed' },
    bad: { projectKey: 'SUP', sinceDays: 0 },
    badPath: 'sinceDays',
  },
  getDashboard: { ...issue, valid: { projectKey: 'SUP' }, bad: { projectKey: 'SUP-1' }, badPath: 'projectKey' },
  startDashboard: {
    ...issue,
    valid: { projectKey: 'SUP', days: 7 },
    bad: { projectKey: 'SUP', days: 91 },
    badPath: 'days',
  },
  getDashboardProgress: { ...issue, valid: { projectKey: 'SUP' }, bad: {}, badPath: 'projectKey' },
  getModelSettings: { ...admin, valid: {}, bad: 'settings', badPath: '' },
  saveModelSettings: { ...admin, valid: { provider: 'none' }, bad: { provider: 'openai' }, badPath: 'provider' },
  setModelKey: {
    ...admin,
    valid: { apiKey: 'sk-contract-test-0000' },
    bad: { apiKey: 'sk-with a-space-inside' },
    badPath: 'apiKey',
  },
  removeModelKey: { ...admin, valid: {}, bad: [], badPath: '' },
  getDailyReport: { ...issue, valid: { projectKey: 'SUP' }, bad: { projectKey: 'sup' }, badPath: 'projectKey' },
  getRouterModel: { ...admin, valid: { projectKey: 'SUP' }, bad: { projectKey: 'SUP-1' }, badPath: 'projectKey' },
  getTrust: { ...issue, valid: { projectKey: 'SUP' }, bad: { projectKey: 'SUP', weeks: 27 }, badPath: 'weeks' },
  getChatSettings: { ...admin, valid: {}, bad: 'settings', badPath: '' },
  saveChatSettings: {
    ...admin,
    valid: { deliver: { nudge: true }, channel: 'C0OPS0001' },
    bad: { channel: '#support-ops' },
    badPath: 'channel',
  },
  linkChatPerson: {
    ...admin,
    valid: { accountId: 'u-grace' },
    bad: { accountId: '' },
    badPath: 'accountId',
  },
  getChatLink: { ...issue, valid: { issueKey: 'SUP-1' }, bad: { issueKey: 'SUP' }, badPath: 'issueKey' },
  issueChatLinkCode: { ...issue, valid: { issueKey: 'SUP-1' }, bad: {}, badPath: 'issueKey' },
  setChatSecrets: {
    ...admin,
    valid: { botToken: 'xoxb-contract-test-0000' },
    bad: { signingSecret: 'not hex' },
    badPath: 'signingSecret',
  },
};
