-- Why a mandate ended, as the ending side wrote it (optional); shown to both sides, never in events.
alter table mandates add column end_reason text;
