"""The project's colours, read from where they are defined: the custom properties at the top of
collab/static/collab/app.css (its "Colours, focus and identity" block). The charts draw with
them, so a pillar has the same colour in a badge, a card and a picture; `contrast()` is WCAG
2.1's contrast ratio, used by the tests and docs/accessibility.md.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

APP_CSS = Path(__file__).resolve().parent / "static" / "collab" / "app.css"
_PROPERTY = re.compile(r"--collab-([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;")


@cache
def colours() -> dict[str, str]:
    """`{"primary": "#0b4f8a", "pillar-government": …}`: every `--collab-*` colour
    of app.css's `:root`, by its name without the prefix."""
    root = APP_CSS.read_text(encoding="utf-8").split(":root {", 1)[1].split("}", 1)[0]
    found: dict[str, str] = {}
    for name, value in _PROPERTY.findall(root):
        if name in found:
            raise ValueError(f"--collab-{name} is defined twice in {APP_CSS.name}")
        found[name] = value.lower()
    return found


def colour(name: str) -> str:
    """One colour by its name (`colour("pillar-government")`)."""
    return colours()[name]


def pillar_colour(value: str) -> str:
    """The colour of a pillar by its stored value (`philanthropy_business`)."""
    return colour("pillar-" + value.replace("_", "-"))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
