import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../model/case.ts';
import { routingInputFromCase } from './case-input.ts';

describe('routingInputFromCase', () => {
  it('keeps an attribute named __proto__ as a field, without giving the fields a prototype', () => {
    // JSON.parse makes `__proto__` an own key, as a CSV column or a Jira field of that name would arrive.
    const attributes = JSON.parse('{"__proto__": ["a", "b"], "priority": "P1"}') as CaseRecord['attributes'];
    const c: CaseRecord = { id: 'c1', source: 'test', attributes, events: [] };
    const { fields } = routingInputFromCase(c);
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(fields['__proto__']).toEqual(['a', 'b']);
    expect(fields['priority']).toBe('P1');
    expect(Object.keys(fields).sort()).toEqual(['__proto__', 'priority']);
  });
});
