"""The REST API `/api/v1/` (docs/api.md): the programmes' records and the reference data, read
and written with the pages' rights, filters, querysets and services."""
