"""Form errors and help texts are tied to their fields (templates/includes/field.html) and the
errors are announced before the form (includes/form_errors.html): WCAG 2.1 1.3.1, 3.3.1, 4.1.3."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse


class Elements(HTMLParser):
    """Each element's attributes by its id, and the text inside it."""

    def __init__(self, html: str):
        super().__init__()
        self.attrs: dict[str, dict[str, str]] = {}
        self.text: dict[str, str] = {}
        self.open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        element_id = attributes.get("id")
        if element_id:
            self.attrs[element_id] = attributes | {"tag": tag}
            self.text[element_id] = ""
        if tag not in {"input", "br", "img", "meta", "link"}:
            self.open.append(element_id)

    def handle_endtag(self, tag):
        if self.open and tag not in {"input", "br", "img", "meta", "link"}:
            self.open.pop()

    def handle_data(self, data):
        for element_id in self.open:
            if element_id:
                self.text[element_id] += data

    def described_by(self, element_id: str) -> str:
        """The text a screen reader reads as the element's description."""
        ids = self.attrs[element_id].get("aria-describedby", "").split()
        assert ids, f"#{element_id} has no aria-describedby"
        return " ".join(self.text[i].strip() for i in ids)


class MeetingNote(forms.Form):
    title = forms.CharField(label="Judul", help_text="Seperti di undangan.")
    participants = forms.IntegerField(label="Peserta", min_value=1)


def test_an_invalid_field_is_marked_and_described_by_its_error_and_help():
    form = MeetingNote(data={"title": "", "participants": "0"})
    assert not form.is_valid()

    page = Elements(
        render_to_string("includes/field.html", {"field": form["title"]})
        + render_to_string("includes/field.html", {"field": form["participants"]})
    )

    assert page.attrs["id_title"]["aria-invalid"] == "true"
    description = page.described_by("id_title")
    assert "Seperti di undangan." in description
    assert str(form.errors["title"][0]) in description
    assert page.attrs["id_participants"]["aria-invalid"] == "true"
    assert str(form.errors["participants"][0]) in page.described_by("id_participants")


def test_a_valid_field_is_not_marked_invalid_and_keeps_its_help():
    form = MeetingNote(data={"title": "Rapat pokja", "participants": "12"})
    assert form.is_valid()

    page = Elements(render_to_string("includes/field.html", {"field": form["title"]}))

    assert "aria-invalid" not in page.attrs["id_title"]
    assert page.described_by("id_title") == "Seperti di undangan."


def test_the_error_summary_is_an_alert_linking_each_field():
    form = MeetingNote(data={"title": "", "participants": "0"})
    form.is_valid()

    page = Elements(render_to_string("includes/form_errors.html", {"form": form}))

    summary = page.attrs["error-summary"]
    assert summary["role"] == "alert"
    assert summary["tabindex"] == "-1"  # app.js moves the focus here
    text = page.text["error-summary"]
    assert str(form.errors["title"][0]) in text and "Judul" in text


@pytest.mark.django_db
def test_the_sign_in_page_ties_its_errors_to_the_fields(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    page = Elements(response.content.decode())
    assert page.attrs["error-summary"]["role"] == "alert"
    for field in ("id_username", "id_password"):
        assert page.attrs[field]["aria-invalid"] == "true"
        assert page.described_by(field), field
