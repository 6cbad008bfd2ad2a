import { describe, expect, it } from 'vitest';
import { EventSchemas, validateAnyEvent, validateEvent, validateServiceEvent } from '../../index.js';
import { MatchingEvents } from './index.js';

const ids = {
  requirement: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a01',
  buyer: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a02',
  supplier: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a03',
  bureau: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a04',
  application: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a05',
  deal: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a06',
};
const at = '2026-01-01T00:00:00.000Z';
const envelope = (type: string, aggregate: { type: string; id: string; version: number }, data: unknown) => ({
  id: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a99',
  type,
  version: 1,
  occurredAt: at,
  source: 'matching',
  orgId: ids.buyer,
  correlationId: 'req-1',
  aggregate,
  data,
});

const candidate = {
  requirementId: ids.requirement,
  buyerId: ids.buyer,
  supplierId: ids.supplier,
  score: 0.72,
  trigger: 'registry.certification.verified',
};
const deal = {
  id: ids.deal,
  requirementId: ids.requirement,
  applicationId: ids.application,
  buyerId: ids.buyer,
  supplierId: ids.supplier,
  bureauId: ids.bureau,
  commission: { basisPoints: 250, amount: { amountMinor: 25_000, currency: 'MXN' } },
  value: { amountMinor: 1_000_000, currency: 'MXN' },
  tier: 2,
  startsOn: '2026-02-01',
  title: 'Soportes de aluminio',
  scianCodes: ['332710'],
  awardedAt: at,
};
const application = {
  id: ids.application,
  requirementId: ids.requirement,
  buyerId: ids.buyer,
  supplierId: ids.supplier,
  bureauId: null,
  state: 'submitted',
  quote: {
    price: { amountMinor: 1_000_000, currency: 'MXN' },
    leadTimeDays: 20,
    notes: null,
    attachments: [
      { kind: 'document', id: ids.deal, name: 'Cotización.pdf' },
      { kind: 'url', url: 'https://example.mx/plano.pdf' },
    ],
  },
  submittedAt: at,
  withdrawnAt: null,
  updatedAt: at,
};

describe('matching events', () => {
  it('registers every matching event type in the shared map, one schema per type', () => {
    expect(Object.keys(MatchingEvents).sort()).toEqual([
      'matching.application.submitted',
      'matching.application.withdrawn',
      'matching.candidate.found',
      'matching.deal.awarded',
      'matching.invitation.sent',
      'matching.requirement.awarded',
      'matching.requirement.cancelled',
      'matching.requirement.closed',
      'matching.requirement.opened',
      'matching.shortlist.changed',
    ]);
    for (const type of Object.keys(MatchingEvents)) expect(Object.hasOwn(EventSchemas, type)).toBe(true);
  });

  it('accepts matching.candidate.found with exactly its data and rejects a score outside 0..1', () => {
    const ok = envelope(
      'matching.candidate.found',
      { type: 'requirement', id: ids.requirement, version: 3 },
      candidate,
    );
    const r = validateAnyEvent(ok);
    expect(r.ok).toBe(true);
    if (r.ok && r.event.type === 'matching.candidate.found')
      expect(r.event.data.trigger).toMatch(/^registry\./);
    for (const bad of [
      { ...candidate, score: 1.2 },
      { ...candidate, score: -0.1 },
      { ...candidate, trigger: '' },
      { ...candidate, supplierId: 'nope' },
    ]) {
      expect(validateEvent('matching.candidate.found', { ...ok, data: bad }).ok, JSON.stringify(bad)).toBe(
        false,
      );
    }
    const { trigger: _trigger, ...missing } = candidate;
    expect(validateEvent('matching.candidate.found', { ...ok, data: missing }).ok).toBe(false);
  });

  it('accepts a deal with or without a bureau commission, and rejects a fractional amount or bad currency', () => {
    const ok = envelope('matching.deal.awarded', { type: 'deal', id: ids.deal, version: 1 }, deal);
    expect(validateAnyEvent(ok).ok).toBe(true);
    expect(validateAnyEvent({ ...ok, data: { ...deal, bureauId: null, commission: null } }).ok).toBe(true);
    expect(
      validateAnyEvent({ ...ok, data: { ...deal, value: { amountMinor: 10.5, currency: 'MXN' } } }).ok,
    ).toBe(false);
    expect(
      validateAnyEvent({ ...ok, data: { ...deal, value: { amountMinor: 10, currency: 'mxn' } } }).ok,
    ).toBe(false);
  });

  it('accepts application snapshots whose attachments are references, never contents', () => {
    const ok = envelope(
      'matching.application.submitted',
      { type: 'application', id: ids.application, version: 1 },
      application,
    );
    expect(validateAnyEvent(ok).ok).toBe(true);
    const inline = {
      ...application,
      quote: { ...application.quote, attachments: [{ kind: 'file', bytes: 'JVBERi0xLjQ=' }] },
    };
    expect(validateAnyEvent({ ...ok, data: inline }).ok).toBe(false);
    const http = {
      ...application,
      quote: { ...application.quote, attachments: [{ kind: 'url', url: 'http://example.mx/x' }] },
    };
    expect(validateAnyEvent({ ...ok, data: http }).ok).toBe(false);
  });

  it('validates one service’s events only when asked for that service', () => {
    const ok = envelope(
      'matching.candidate.found',
      { type: 'requirement', id: ids.requirement, version: 1 },
      candidate,
    );
    expect(validateServiceEvent('matching', ok).ok).toBe(true);
    const r = validateServiceEvent('registry', ok);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join(' ')).toMatch(/not a registry event/);
  });
});
