"""The project's colours (app.css "Colours, focus and identity", collab/identity.py): every pair
a page shows meets WCAG 2.1 AA contrast, and the pillar colours are defined once and used by the
badges, the cards and the charts (docs/accessibility.md has the same table)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collab import identity
from partners.models import Pillar
from programs.followup import PILLAR_FILLS, pillar_chart

ROOT = Path(__file__).resolve().parents[2]

# (foreground, background, what it is, the ratio it must reach): 4.5 for text (1.4.3), 3 for
# the focus ring and control borders (1.4.11).
PAIRS = [
    ("ink", "paper", "body text", 4.5),
    ("muted", "paper", "secondary text", 4.5),
    ("link", "paper", "links", 4.5),
    ("link-hover", "paper", "links, hovered", 4.5),
    ("on-primary", "primary", "navigation bar, primary buttons", 4.5),
    ("on-primary", "primary-hover", "primary buttons, hovered or pressed", 4.5),
    ("primary", "paper", "outline buttons, active page number", 4.5),
    ("danger", "paper", "errors", 4.5),
    ("warning-ink", "paper", "warnings", 4.5),
    ("success", "paper", "success text", 4.5),
    ("disabled", "disabled-bg", "disabled buttons", 4.5),
    ("focus", "primary", "focus ring on the navigation bar", 3.0),
    ("focus-inner", "paper", "focus ring's inner line on white", 3.0),
] + [
    pair
    for value in Pillar.values
    for pair in (
        ("on-pillar", "pillar-" + value.replace("_", "-"), f"badge of {value}", 4.5),
        ("pillar-" + value.replace("_", "-"), "paper", f"{value} as text, chart bars", 4.5),
    )
]


def test_contrast_is_wcags_ratio():
    assert identity.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert identity.contrast("#ffffff", "#ffffff") == pytest.approx(1)
    # Bootstrap's blue on white, the pair WebAIM's checker gives as 4.50:1.
    assert identity.contrast("#0d6efd", "#ffffff") == pytest.approx(4.50, abs=0.01)


@pytest.mark.parametrize(("foreground", "background", "what", "minimum"), PAIRS)
def test_every_pair_meets_wcag_aa(foreground, background, what, minimum):
    ratio = identity.contrast(identity.colour(foreground), identity.colour(background))

    assert ratio >= minimum, f"{what}: {foreground} on {background} is {ratio:.2f}:1"


def test_each_pillar_has_one_colour_and_a_class_that_uses_it():
    css = identity.APP_CSS.read_text()
    for value in Pillar.values:
        name = "--collab-pillar-" + value.replace("_", "-")
        assert css.count(f"{name}:") == 1, f"{name} must be defined once"
        assert f".pillar-{value} {{ --collab-pillar: var({name}); }}" in css


def test_the_charts_draw_the_pillars_in_their_colours():
    assert {value: identity.pillar_colour(value) for value in Pillar.values} == PILLAR_FILLS
    svg = str(pillar_chart("pillars", {Pillar.GOVERNMENT: 2}).svg)
    for value in Pillar.values:
        if value == Pillar.GOVERNMENT:
            assert f'fill="{identity.pillar_colour(value)}"' in svg


def test_no_pillar_colour_is_written_anywhere_else():
    """Templates, styles and code name a pillar's colour through app.css, never by its value
    (the favicon, an image, is the one copy)."""
    colours = {identity.pillar_colour(value) for value in Pillar.values}
    found = []
    for folder in ("templates", "collab", "partners", "programs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".html", ".css", ".py", ".js"} or path == identity.APP_CSS:
                continue
            text = path.read_text(encoding="utf-8", errors="ignore").lower()
            found += [f"{path.relative_to(ROOT)}: {c}" for c in colours if c in text]
    assert not found


def test_a_colour_defined_twice_is_refused(tmp_path, monkeypatch):
    css = tmp_path / "app.css"
    css.write_text(":root {\n  --collab-ink: #000000;\n  --collab-ink: #111111;\n}\n")
    monkeypatch.setattr(identity, "APP_CSS", css)
    identity.colours.cache_clear()
    try:
        with pytest.raises(ValueError, match="twice"):
            identity.colours()
    finally:
        identity.colours.cache_clear()


def test_the_accessibility_doc_lists_every_pair_with_its_ratio():
    doc = (ROOT / "docs" / "accessibility.md").read_text()
    for foreground, background, _, _ in PAIRS:
        ratio = identity.contrast(identity.colour(foreground), identity.colour(background))
        row = re.compile(
            rf"\|\s*`{re.escape(foreground)}`[^|]*\|\s*`{re.escape(background)}`[^|]*\|[^|]*\|\s*"
            rf"{ratio:.2f}:1"
        )
        assert row.search(doc), f"docs/accessibility.md: {foreground} on {background} {ratio:.2f}"
