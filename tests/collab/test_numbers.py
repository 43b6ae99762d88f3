"""Numbers as the commands and rupiah amounts print them."""

from __future__ import annotations

import pytest

from collab.numbers import grouped, seconds


@pytest.mark.parametrize(
    ("number", "text"),
    [(0, "0"), (999, "999"), (83_762, "83.762"), (500_000, "500.000"), (1_234.6, "1.235")],
)
def test_grouped_writes_whole_numbers_with_dots(number, text):
    assert grouped(number) == text


def test_seconds_have_one_decimal_after_a_comma():
    assert (seconds(2.345), seconds(0), seconds(136.06)) == ("2,3", "0,0", "136,1")
