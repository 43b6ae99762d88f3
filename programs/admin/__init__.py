"""Admin for programmes and everything that belongs to one, one module per concept.

Every domain model shows its audit history (collab.admin_base.DomainAdmin). Foreign keys to large
or growing tables (regions, partners, meetings…) are autocompletes, and every changelist selects
its related rows in the same query, so no list runs a query per row.
"""

# Importing the concept modules registers their ModelAdmins (admin autodiscover imports this).
from . import agreements, commitments, indicators, meetings, program  # noqa: F401
