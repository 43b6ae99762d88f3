"""Synthetic national-scale data for benchmarks: `manage.py generate_scale_data`.

What it builds (defaults): 10,000 partners, 1,000 programmes, 20,000 pilot sites, 50,000
meetings with attendance and decisions, 150,000 action items, 500,000 commitments with progress
updates, 50,000 agreements with signatories and clauses, and rights for 500 coordinators.

Realism that matters to the pages being measured:
- Programme sizes follow a Zipf law (weight 1/rank): the largest programme holds about 13 % of
  every table (≈67,000 commitments at the defaults), the median one about a hundred rows. Real
  registries look like this: a few national programmes, a long tail of local ones.
- Child rows stay inside their programme: a commitment's partner is a member of the programme,
  its meeting, site and agreement belong to the same programme; attendance and signatories are
  members too.
- Rows are inserted in the order of their `created_at`, which spans the programme's life, so
  the id order follows the time order as in a database filled by people over years, and the
  programmes' rows are interleaved on disk.
- Dates are relative to an anchor day (today by default): some meetings are upcoming, some
  commitments and action items overdue, as on a live dashboard.

Everything the command writes is marked so that it can be found again: programme slugs start
with `skala-`, users are `skala-…`, partners' e-mail addresses end in `@skala.invalid` (a
reserved domain: reminder e-mails can never reach anybody).

The modules, in the order a run uses them: `generator` (the entry point, `generate`), `cleanup`
(finding and removing an earlier run), `core` (the counts, the report and the state one run
carries from table to table), then one module per concept writing its tables (`accounts`,
`partners`, `programs` with the sites, `meetings` with the action items, `agreements`,
`commitments`), `history` (the creation records), on top of `rows` (COPY or bulk_create) and
`words` (the vocabulary several concepts share).
"""
