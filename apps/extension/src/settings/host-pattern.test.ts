import { describe, expect, it } from 'vitest';
import { originPattern } from './host-pattern.ts';

describe('originPattern', () => {
  it('keeps scheme and host and drops the port, which Firefox match patterns cannot carry', () => {
    expect(originPattern('https://acme.atlassian.net')).toBe('https://acme.atlassian.net/*');
    expect(originPattern('http://127.0.0.1:11434')).toBe('http://127.0.0.1/*');
    expect(originPattern('https://jira.example.com:8443')).toBe('https://jira.example.com/*');
  });
});
