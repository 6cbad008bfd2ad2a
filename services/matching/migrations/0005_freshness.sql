-- Freshness (issue 4, deliverable 7): a supplier change re-evaluates the open requirements it can affect, and a
-- supplier that newly qualifies for one is announced once with matching.candidate.found.

-- Suppliers whose change still has to be re-evaluated, written by the registry consumer in the same transaction
-- as the change (so a crash between commit and the job loses nothing: the sweep finds the row). `before` is the
-- supplier as matching held it before the first change of this round ({ snapshot, certificates }, or null when
-- it did not exist yet): "newly qualifies" means qualifying now and not with `before`. Later changes in the
-- same round keep `before`, take the latest `trigger` and a new `stamp`, so a job that evaluated an older stamp
-- knows to leave the row for another round. Stamps never repeat (a sequence): they name the round's job.
create sequence supplier_rematch_stamp;
create table supplier_rematch (
  supplier_id uuid primary key,
  before jsonb,
  trigger text not null,
  stamp bigint not null default nextval('supplier_rematch_stamp'),
  requested_at timestamptz not null default now()
);
create index supplier_rematch_requested on supplier_rematch (requested_at);

-- One row per (requirement, supplier) announced, written with the outbox row of the event: never twice.
create table candidate_notifications (
  requirement_id uuid not null references requirements (id) on delete cascade,
  supplier_id uuid not null,
  event_id uuid not null,
  score double precision not null,
  trigger text not null,
  notified_at timestamptz not null default now(),
  primary key (requirement_id, supplier_id)
);
