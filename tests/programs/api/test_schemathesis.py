"""Schemathesis reads the API's OpenAPI schema and throws generated requests at a live server
with the demo data and a coordinator's token: every operation, writes included, positive and
negative data, all of its checks (not only "no server error"), a fixed seed and a bounded number
of examples per operation. It must find nothing: no server error, no answer outside the schema.

Run on SQLite and PostgreSQL alike (the live server shares the test database); it never skips.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import FailureGroup

from collab.api.tokens import create_token

# Examples per operation and mode: 25 operations × 2 modes × this, in under a minute.
MAX_EXAMPLES = 10
SEED = 20260313
UNSATISFIABLE: list[str] = []

# Which answers count as "accepted" and "rejected". Schemathesis's defaults, plus what this
# API answers for well-formed requests it still refuses, by design: a body naming a record that
# does not exist or that the caller may not use (ids are generated at random) is 400 with the
# field named; a change without If-Match is 428 and one with a stale If-Match 412.
CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "412", "428", "429"]

[checks.missing_required_header]
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]
"""


@pytest.fixture
def coordinator_key(demo_data, settings) -> str:
    from django.contrib.auth import get_user_model

    # Thousands of requests from one address and one token, in a few seconds.
    settings.COLLAB_API_THROTTLE_RATES = {"client": "100000/minute", "address": "100000/minute"}
    user = get_user_model().objects.get(username="koordinator-kota-sdgs-bengkulu")
    return create_token(user=user, name="schemathesis")[1]


def run_operation(operation, mode: GenerationMode, base_url: str, headers: dict) -> list[str]:
    """Generated cases of one operation in one mode; the failures found, as text."""
    failures: list[str] = []
    checks = list(CHECKS.get_all())

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # the seed below fixes every generated case
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case) -> None:
        try:
            case.call_and_validate(base_url=base_url, headers=headers, checks=checks)
        except (AssertionError, FailureGroup) as failure:  # failed checks
            failures.append(f"{operation.label} [{mode.value}]: {failure}")

    check._hypothesis_internal_use_seed = SEED  # noqa: SLF001 — hypothesis's @seed
    try:
        check()
    except Unsatisfiable:
        # No request can break this operation's schema in this way (e.g. nothing but an
        # integer id in its path): there is no negative case to send.
        assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no positive case generated"
        UNSATISFIABLE.append(operation.label)
    return failures


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(
    live_server, coordinator_key, capsys
):
    load_all_checks()
    config = schemathesis.Config.from_str(CONFIG)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/", config=config)
    headers = {"Authorization": f"Token {coordinator_key}"}
    operations = [result.ok() for result in schema.get_all_operations()]

    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += run_operation(operation, mode, live_server.url, headers)

    summary = (
        f"schemathesis {schemathesis.__version__}: {len(operations)} operations, "
        f"{len(operations) * 2 * MAX_EXAMPLES} generated cases at most, "
        f"{len(checks_names())} checks, seed {SEED}, {len(UNSATISFIABLE)} operations without "
        f"negative cases: {len(failures)} failures"
    )
    with capsys.disabled():
        print(f"\n{summary}")
    assert len(operations) == 25  # 10 lists, 10 reads, 5 writes
    assert not failures, "\n\n".join(failures[:10])


def checks_names() -> list[str]:
    return sorted(CHECKS.get_all_names())
