/** What the supplier-registry routes share (profiles, certificates, mandates, search). */
import type { AuthHook } from '@vinculo/service-kit/auth';
import type { Kysely } from '@vinculo/service-kit/db';
import type { RegistryDb } from '../db/schema.js';
import type { EventWriter } from '../events/registry.events.js';
import type { DocumentStorage } from '../storage/document-storage.js';

/** Schedules a certificate's expiry reminders (60/30/7 days) and its expiry; idempotent per (id, validTo). */
export interface CertificateScheduler {
  schedule(certificate: { id: string; validTo: string }): Promise<void>;
}

export interface SupplierRouteDeps {
  db: Kysely<RegistryDb>;
  authenticate: AuthHook;
  /** Anonymous callers pass (public fields); a bad token is still a 401. */
  optionalAuth: AuthHook;
  writeEvent: EventWriter;
  storage: DocumentStorage;
  certificates: CertificateScheduler;
  /** Largest accepted certificate document in bytes. */
  uploadLimitBytes: number;
}
