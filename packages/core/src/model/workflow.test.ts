import { describe, expect, it } from 'vitest';
import { blockedReasonOf, blockedState, createWorkflowResolver, defaultStateMapping } from './workflow.ts';

describe('defaultStateMapping', () => {
  it('maps Jira status categories, refining waiting states by name', () => {
    expect(defaultStateMapping('To Do', 'new')).toEqual({ phase: 'queue' });
    expect(defaultStateMapping('In Progress', 'indeterminate')).toEqual({ phase: 'active' });
    expect(defaultStateMapping('Waiting for customer', 'indeterminate')).toEqual({
      phase: 'waiting',
      waitingReason: 'customer',
    });
    expect(defaultStateMapping('Closed', 'done')).toEqual({ phase: 'done' });
  });

  it('maps event-log activity names (BPIC 2013 sub-statuses) without categories', () => {
    expect(defaultStateMapping('Queued/Awaiting Assignment')).toEqual({ phase: 'queue' });
    expect(defaultStateMapping('Accepted/Wait - User')).toEqual({ phase: 'waiting', waitingReason: 'customer' });
    expect(defaultStateMapping('Accepted/Wait - Vendor')).toEqual({ phase: 'waiting', waitingReason: 'vendor' });
    expect(defaultStateMapping('Accepted/In Progress')).toEqual({ phase: 'active' });
    expect(defaultStateMapping('Completed/Closed')).toEqual({ phase: 'done' });
  });
});

describe('createWorkflowResolver', () => {
  it('prefers explicit entries, matched case-insensitively', () => {
    const resolve = createWorkflowResolver({
      states: { 'in review': { phase: 'waiting', waitingReason: 'approval' } },
    });
    expect(resolve('In Review')).toEqual({ phase: 'waiting', waitingReason: 'approval' });
    expect(resolve('In Progress')).toEqual({ phase: 'active' });
  });

  it('uses category hints for states it was not told about', () => {
    const resolve = createWorkflowResolver(undefined, new Map([['Ready', 'done']]));
    expect(resolve('Ready')).toEqual({ phase: 'done' });
  });
});

describe('blockedState', () => {
  it('names a state that waits on its reason, whatever the other rules would read in the name', () => {
    for (const reason of ['customer', 'vendor', 'approval', 'internal'] as const) {
      expect(blockedReasonOf(blockedState(reason))).toBe(reason);
      expect(defaultStateMapping(blockedState(reason), 'done')).toEqual({ phase: 'waiting', waitingReason: reason });
    }
    expect(createWorkflowResolver()(blockedState('vendor'))).toEqual({ phase: 'waiting', waitingReason: 'vendor' });
  });

  it('is no other state', () => {
    expect(blockedReasonOf('Blocked')).toBeUndefined();
    expect(blockedReasonOf('Blocked: waiting on the moon')).toBeUndefined();
    expect(defaultStateMapping('Blocked')).toEqual({ phase: 'waiting', waitingReason: 'internal' });
  });
});
