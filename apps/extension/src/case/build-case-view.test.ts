import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.ts';
import { buildCaseView } from './build-case-view.ts';
import { JiraIssueSchema } from './jira-issue.ts';

const options = {
  site: 'https://acme.atlassian.net',
  browseUrl: (key: string) => `https://acme.atlassian.net/browse/${key}`,
  audience: 'customer' as const,
  preset: DEFAULT_SETTINGS.audiences.customer,
  now: Date.UTC(2026, 10, 23, 12, 0),
};

describe('buildCaseView', () => {
  it('says which field is wrong when Jira’s answer cannot be read as a case, instead of inventing a packet', () => {
    const issue = JiraIssueSchema.parse({
      id: '10009',
      key: 'SUP-9',
      fields: { summary: 'Invoice wrong', created: 'last Tuesday', status: { name: 'Open' } },
    });
    const r = buildCaseView(issue, options);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^Jira's answer for SUP-9 cannot be read as a case \(fields\.created: /);
  });

  it("answers the customer's latest open question, in their words, first", () => {
    const at = (h: number) => new Date(Date.UTC(2026, 10, 23, h, 0)).toISOString();
    const carla = { accountId: 'u-carla', displayName: 'Carla Customer' };
    const grace = { accountId: 'u-grace', displayName: 'Grace Hopper' };
    const comment = (id: string, author: typeof carla, h: number, text: string) => ({
      id,
      author,
      created: at(h),
      body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
    });
    const issue = JiraIssueSchema.parse({
      id: '10010',
      key: 'SUP-10',
      fields: {
        summary: 'Invoice wrong',
        created: at(8),
        updated: at(11),
        status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } },
        reporter: carla,
        assignee: grace,
        duedate: '2026-11-27',
        comment: {
          comments: [
            comment('1', grace, 9, 'We decided to reissue the invoice.'),
            comment('2', carla, 10, 'Die Rechnung ist falsch. Können Sie sie bis Freitag korrigieren?'),
          ],
        },
      },
    });
    const r = buildCaseView(issue, options);
    if (!r.ok) throw new Error(r.message);
    const text = r.view.drafts[0]!.text;
    expect(text).toContain('You asked: "Können Sie sie bis Freitag korrigieren?"');
    expect(text).toContain('Expected by: 2026-11-27.');
    expect(text).not.toContain('Grace');
    expect(r.view.packet.source).toBe('browser');
    expect(r.view.packet.nextOwner).toBe('Grace Hopper');
  });
});
