"""What a browser would post back from a rendered page: the values of its own POST form.

Standard library only (bench/locustfile.py reads its forms with it too)."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpResponse


class _FormReader(HTMLParser):
    """The first POST form without another action; rows inside <template> (added by script
    only) are left out, and file inputs too unless `upload` chooses a file for them."""

    def __init__(self, path: str, upload: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.path = path
        self.upload = upload
        self.data: dict[str, Any] | None = None
        self.inside = False
        self.done = False
        self.template_depth = 0
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "template":
            self.template_depth += 1
        if self.done or self.template_depth:
            return
        if tag == "form":
            own = attr.get("method", "").lower() == "post" and attr.get("action", "") in (
                "",
                self.path,
            )
            if own:
                self.inside, self.data = True, {}
            return
        if not self.inside or self.data is None:
            return
        if tag == "option" and self.select is not None:
            if self.first_option is None:
                self.first_option = attr.get("value", "")
            if "selected" in attr:
                self.data[self.select] = attr.get("value", "")
            return
        name = attr.get("name")
        if not name:
            return
        if tag == "input":
            kind = attr.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attr:
                    self.data[name] = attr.get("value", "on")
            elif kind == "file":
                if self.upload is not None:
                    self.data[name] = self.upload()
            elif kind not in ("submit", "button", "reset", "image"):
                self.data[name] = attr.get("value", "")
        elif tag == "select":
            self.select, self.first_option = name, None
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.template_depth -= 1
            return
        if self.template_depth or not self.inside or self.data is None:
            return
        if tag == "select" and self.select:
            # A select without a selected option submits its first option, as browsers do.
            self.data.setdefault(self.select, self.first_option or "")
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that follows the opening tag.
            self.data[self.textarea] = self.data[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "form":
            self.inside, self.done = False, True

    def handle_data(self, data: str) -> None:
        if self.textarea and self.data is not None and not self.template_depth:
            self.data[self.textarea] += data


def form_fields(
    html: str, path: str = "", upload: Callable[[], Any] | None = None
) -> dict[str, Any] | None:
    """The data the page's own form submits unchanged, None without one (`path`: the page's
    URL, when the form names it as its action; `upload`: makes the file chosen for each file
    input)."""
    reader = _FormReader(path, upload)
    reader.feed(html)
    return reader.data


def posted_form(
    response: HttpResponse, path: str = "", upload: Callable[[], Any] | None = None
) -> dict[str, Any]:
    """`form_fields` of a test client's response; the page must have a form of its own."""
    data = form_fields(response.content.decode(), path, upload)
    assert data is not None, "the page has no POST form of its own"
    return data
