import { describe, expect, it } from 'vitest';
import {
  dlqStreamName,
  dlqSubject,
  streamName,
  subject,
  subjectFilter,
  typeFromSubject,
  validateAnyEvent,
  validateEvent,
} from './index.js';

const org = {
  id: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a69',
  name: 'Aceros del Norte',
  type: 'supplier',
  country: 'MX',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};
const event = {
  id: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a70',
  type: 'registry.org.created',
  version: 1,
  occurredAt: '2025-01-01T00:00:00.000Z',
  source: 'registry',
  correlationId: 'req-1',
  aggregate: { type: 'org', id: org.id, version: 1 },
  data: org,
};

describe('names', () => {
  it('builds production names without a namespace', () => {
    expect(streamName('', 'registry')).toBe('REGISTRY');
    expect(dlqStreamName('', 'registry')).toBe('REGISTRY_DLQ');
    expect(subject('', 'registry.org.created')).toBe('registry.org.created');
    expect(subjectFilter('', 'registry')).toBe('registry.>');
    expect(dlqSubject('', 'registry', 'matching-registry')).toBe('dlq.registry.matching-registry');
  });
  it('prefixes every name under a test namespace', () => {
    expect(streamName('t1a2b', 'registry')).toBe('T1A2B_REGISTRY');
    expect(dlqStreamName('t1a2b', 'registry')).toBe('T1A2B_REGISTRY_DLQ');
    expect(subject('t1a2b', 'registry.org.created')).toBe('t1a2b.registry.org.created');
    expect(subjectFilter('t1a2b', 'registry')).toBe('t1a2b.registry.>');
    expect(dlqSubject('t1a2b', 'registry', 'c1')).toBe('t1a2b.dlq.registry.c1');
    expect(typeFromSubject('t1a2b', 't1a2b.registry.org.created')).toBe('registry.org.created');
  });
  it('rejects namespaces that would break stream names or subjects', () => {
    expect(() => streamName('a.b', 'registry')).toThrow();
    expect(() => subject('A', 'x')).toThrow();
  });
});

describe('validation', () => {
  it('accepts a valid event and types it', () => {
    const r = validateEvent('registry.org.created', event);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.event.data.type).toBe('supplier');
  });
  it('lists the errors of a schema-violating event', () => {
    const r = validateEvent('registry.org.created', { ...event, data: { ...org, type: 'pirate' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join(' ')).toMatch(/data\/type/);
  });
  it('checks the envelope and looks up the schema by type', () => {
    expect(validateAnyEvent(event).ok).toBe(true);
    expect(validateAnyEvent({ ...event, type: 'registry.org.vanished' }).ok).toBe(false);
    expect(validateAnyEvent({ ...event, aggregate: { ...event.aggregate, version: 0 } }).ok).toBe(false);
    expect(validateAnyEvent('nope').ok).toBe(false);
  });
});
