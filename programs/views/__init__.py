"""The programme pages, one module per concept (as programs/models/); each module ends with its
URLs, which programs/urls.py puts together."""

# Where a programme's records are added: `programs/<slug>/<records>/new/` (record_urls).
IN_PROGRAM = "programs/<slug:slug>/"
