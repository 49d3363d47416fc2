import { describe, expect, it } from 'vitest';
import { jiraAuthorization } from './jira-auth.ts';

describe('jiraAuthorization', () => {
  it('is basic auth of email:token for a Jira Cloud API token, UTF-8 encoded', () => {
    const header = jiraAuthorization({ kind: 'cloud-api-token', email: 'zoë@example.com', apiToken: 'tök' });
    expect(header.startsWith('Basic ')).toBe(true);
    expect(Buffer.from(header.slice(6), 'base64').toString('utf8')).toBe('zoë@example.com:tök');
  });

  it('is a bearer token for a Data Center personal access token', () => {
    expect(jiraAuthorization({ kind: 'personal-access-token', token: 'abc' })).toBe('Bearer abc');
  });
});
