/**
 * Stream and subject names, built from a namespace: '' in production, unique per test file (so test files
 * never see each other's events). Stream names may not contain dots; subjects are lowercase and dotted.
 */

export const SERVICES = ['registry', 'matching', 'audits', 'messaging'] as const;
export type ServiceName = (typeof SERVICES)[number];

const NAMESPACE = /^[a-z0-9]*$/;

function checkNamespace(ns: string): void {
  if (!NAMESPACE.test(ns)) throw new Error(`bad event namespace '${ns}': lowercase letters and digits only`);
}

/** 'REGISTRY', or 'T1A2B_REGISTRY' under namespace 't1a2b'. */
export function streamName(ns: string, service: ServiceName): string {
  checkNamespace(ns);
  const base = service.toUpperCase();
  return ns === '' ? base : `${ns.toUpperCase()}_${base}`;
}

/** The dead-letter stream of a producing service's stream: '<STREAM>_DLQ'. */
export function dlqStreamName(ns: string, service: ServiceName): string {
  return `${streamName(ns, service)}_DLQ`;
}

/** 'registry.org.created', or 't1a2b.registry.org.created' under a namespace. */
export function subject(ns: string, type: string): string {
  checkNamespace(ns);
  return ns === '' ? type : `${ns}.${type}`;
}

/** Every subject of one service: 'registry.>' (prefixed under a namespace). */
export function subjectFilter(ns: string, service: ServiceName): string {
  return subject(ns, `${service}.>`);
}

/** Where one consumer's dead letters go: 'dlq.<service>.<consumer>' (prefixed under a namespace). */
export function dlqSubject(ns: string, service: ServiceName, consumer: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(consumer)) throw new Error(`bad consumer name '${consumer}'`);
  return subject(ns, `dlq.${service}.${consumer}`);
}

/** All dead-letter subjects of one service's DLQ stream. */
export function dlqSubjectFilter(ns: string, service: ServiceName): string {
  return subject(ns, `dlq.${service}.>`);
}

/** The event type back from a subject (drops the namespace prefix). */
export function typeFromSubject(ns: string, subj: string): string {
  return ns === '' ? subj : subj.startsWith(`${ns}.`) ? subj.slice(ns.length + 1) : subj;
}
