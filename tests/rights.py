"""What each persona of tests/conftest.py gets from each kind of page (DESIGN "Rights").

One table for the rights matrix (tests/collab/test_rights_matrix.py), the generic view test case
(tests/generic_views.py), the pages tested by hand and the API's writes, so a change of rights
is written once.
"""

from __future__ import annotations

from tests.conftest import PERSONAS

# Status of a GET per persona, for each kind of page.
SIGNED_IN = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}
LIST = SIGNED_IN | {"no_rights": 403}
DIRECTORY = LIST  # the partner directory is shared by every programme
DETAIL = LIST | {"other_coordinator": 404}
# A page that changes a record of the personas' programme: its coordinator (and the admin) only;
# the other programme's coordinator does not learn that the record exists.
FORM = {
    "anonymous": 302,
    "no_rights": 403,
    "viewer": 403,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 403,
    "admin": 200,
}
# Who may change a record of the personas' programme.
OUTSIDERS = sorted(persona for persona, status in FORM.items() if status != 200)
