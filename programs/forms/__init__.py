"""Forms of the programme pages, by concept: program, meetings, commitments, agreements, indicators.

Choices show only what the user may see (collab.forms, collab.formsets). Forms hand the services
typed data (`meeting_fields()`, `agreement_fields()`, each row's `row()`) and put a service's
refusal back beside the field or row it concerns.
"""
