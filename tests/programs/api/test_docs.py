"""docs/api.md's examples, run as a reader would run them: its `sh` blocks, in order, in one
shell, with curl and jq against a live server holding the demo data, as a coordinator."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from collab.api.tokens import create_token
from programs.models import Commitment, Meeting

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def examples() -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", DOC.read_text(), flags=re.S | re.M)


def test_the_document_has_examples_of_each_part():
    text = "\n".join(examples())

    for part in ("If-Match", "/updates/", "$API/meetings/", ".next", "Accept-Language: en"):
        assert part in text


@pytest.mark.django_db(transaction=True)
def test_the_examples_of_docs_api_run(live_server, demo_data):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="koordinator-kelurahan-mandiri-madiun")
    _token, key = create_token(user=user, name="docs")
    meetings = Meeting.objects.count()
    script = "set -euo pipefail\n" + "\n".join(examples())

    run = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "API": f"{live_server.url}/api/v1", "TOKEN": key},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    lines = run.stdout.splitlines()
    assert "kelurahan-mandiri-madiun" in lines
    assert "11 Aceh" in lines  # the provinces, paged 10 at a time
    assert "96 Papua Barat Daya" in lines  # the last of them, three pages later
    assert "Sedang berjalan" in lines  # the status after the PATCH and after the progress update
    assert any(re.fullmatch(r"\d+ Pendanaan Rp 150000000", line) for line in lines)
    assert any(line.endswith("Rapat koordinasi triwulan: 1 keputusan") for line in lines)
    assert lines[-1] == "A commitment cannot be due before it starts."
    assert Meeting.objects.count() == meetings + 1
    assert Commitment.objects.filter(title="Judul yang bertabrakan").count() == 0
