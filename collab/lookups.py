"""Type-ahead choices of partners and programmes: a select that stays small, and its JSON search.

At national scale there are 10,000 partners and 1,000 programmes; a <select> listing them all is
most of a page. `LookupSelect` fetches at most `LOOKUP_INLINE_LIMIT` + 1 choices: when there
are no more than the limit it is a plain select (small installations need no JavaScript);
otherwise it lists only the empty option and the chosen one(s), and names in `data-lookup-url`
the endpoint below, which collab/static/collab/app.js asks as the user types.

Validation does not change: the field's queryset, restricted to what the user may see, checks
any submitted key. The endpoints restrict through the same chokepoint as the fields they feed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path, reverse
from django.utils.choices import BaseChoiceIterator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from collab.permissions import Action, restrict
from collab.views import RightsMixin

LOOKUP_INLINE_LIMIT = 100
"""Up to this many choices a LookupSelect is a plain select; above, a type-ahead."""

LOOKUP_RESULTS = 20
"""Choices one search answers with."""

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 8

Choice = tuple[Any, Any]


def search_condition(query: str, fields: Iterable[str]) -> Q:
    """Every word of `query` in one of `fields` (case-insensitive): the list filters' `q`
    (StyledFilterSet) and the type-ahead searches alike."""
    condition = Q()
    # PostgreSQL refuses a NUL in a string: a typed one must not turn the search into an error.
    query = query[:SEARCH_MAX_LENGTH].replace("\x00", "")
    for word in query.split()[:SEARCH_MAX_WORDS]:
        word_condition = Q()
        for field in fields:
            word_condition |= Q(**{f"{field}__icontains": word})
        condition &= word_condition
    return condition


def _is_model_choice(choice: Choice) -> bool:
    return isinstance(choice[0], ModelChoiceIteratorValue)


def _flat(values: Iterable[Any]) -> Iterator[str]:
    for value in values:
        if isinstance(value, list | tuple):
            yield from _flat(value)
        elif value is not None and value != "":
            yield str(value)


class LookupChoices(BaseChoiceIterator):
    """What a LookupSelect renders, from a field's ModelChoiceIterator, each part fetched once.

    `first()`: the first `LOOKUP_INLINE_LIMIT` + 1 choices (one query). `selected(values)`: the
    choices of `values` (one query). Widgets of a formset's rows share one instance whose
    `values` callable returns the values of every row, so all rows' choices are looked up in
    that one query instead of one per row. Iterating lists every choice, as a plain select
    would, for code that asks for them all.
    """

    def __init__(
        self, choices: ModelChoiceIterator, values: Callable[[], Iterable[Any]] | None = None
    ) -> None:
        self.choices = choices
        self.values = values
        self._first: tuple[list[Choice], list[Choice], bool] | None = None
        self._found: dict[str, Choice | None] = {}

    @classmethod
    def for_rows(
        cls, formset: forms.BaseFormSet, name: str, field: forms.ModelChoiceField
    ) -> LookupChoices:
        """The choices of field `name` shared by every row of `formset`."""
        return cls(field.choices, values=lambda: [form[name].value() for form in formset.forms])

    def __iter__(self) -> Iterator[Choice]:
        return iter(self.choices)

    def __copy__(self) -> LookupChoices:
        return self  # copied widgets keep sharing what was fetched

    def _fetch(self, queryset: QuerySet) -> list[Choice]:
        # The rows in one fetch, made into choices as ModelChoiceIterator makes them: iterating
        # it would stream them through a server-side cursor on PostgreSQL (DECLARE, FETCH,
        # CLOSE: three round trips for a hundred rows).
        field = self.choices.field
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        return [*empty, *(self.choices.choice(row) for row in list(queryset))]

    def first(self) -> tuple[list[Choice], list[Choice], bool]:
        """(the empty option(s), the first choices up to the limit, whether there are more)."""
        if self._first is None:
            limit = LOOKUP_INLINE_LIMIT
            fetched = self._fetch(self.choices.queryset[: limit + 1])
            extras = [choice for choice in fetched if not _is_model_choice(choice)]
            models = [choice for choice in fetched if _is_model_choice(choice)]
            # The chosen ones are not taken from these: `selected` then always costs its one
            # query past the limit, whichever choice sorts first (a count tests can rely on).
            self._first = (extras, models[:limit], len(models) > limit)
        return self._first

    def selected(self, values: Iterable[Any]) -> list[Choice]:
        """The choices among `values` (submitted or initial); unknown or invisible ones left out."""
        wanted = list(dict.fromkeys(_flat(values)))
        missing = {value for value in wanted if value not in self._found}
        if missing and self.values is not None:
            missing |= set(_flat(self.values())) - self._found.keys()
        if missing:
            keys = self._keys(missing)
            if keys:
                field_name = self.choices.field.to_field_name or "pk"
                found = self._fetch(self.choices.queryset.filter(**{f"{field_name}__in": keys}))
                for choice in filter(_is_model_choice, found):
                    self._found[str(choice[0])] = choice
            for value in missing:
                self._found.setdefault(value, None)
        return [choice for value in wanted if (choice := self._found[value]) is not None]

    def _keys(self, values: Iterable[str]) -> list[Any]:
        """`values` that are valid keys: "abc" or a number past the column's range would make
        the database refuse the whole look-up instead of finding nothing."""
        model = self.choices.queryset.model
        to_field_name = self.choices.field.to_field_name
        key = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
        keys = []
        for value in values:
            try:
                python = key.to_python(value)
                key.run_validators(python)
            except ValidationError:
                continue
            keys.append(python)
        return keys


class LookupSelect(forms.Select):
    """A select of partners or programmes that turns into a type-ahead past the inline limit.

    `url_name` names the JSON endpoint; `params` narrow it like the field's queryset is narrowed
    (the endpoint checks them again). Works with any ModelChoiceField; other choices render as
    a plain select. Queries: one for the first choices; past the limit, one more for the chosen
    ones when there are any (for all rows of a formset together, collab.formsets.RowFormSet).
    """

    url_name: ClassVar[str] = ""

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, params: dict[str, str] | None = None
    ) -> None:
        super().__init__(attrs)
        self.params = dict(params or {})
        self._lookup: LookupChoices | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> LookupSelect:
        obj = super().__deepcopy__(memo)
        obj.params = dict(self.params)
        obj._lookup = None
        return obj

    def lookup_choices(self) -> LookupChoices | None:
        choices = self.choices
        if isinstance(choices, LookupChoices):
            return choices
        if not isinstance(choices, ModelChoiceIterator):
            return None
        if self._lookup is None or self._lookup.choices is not choices:
            self._lookup = LookupChoices(choices)
        return self._lookup

    def lookup_url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{urlencode(self.params)}" if self.params else url

    def lookup_attrs(self) -> dict[str, str]:
        """What app.js needs: where to search, and its words in the page's language."""
        return {
            "data-lookup-url": self.lookup_url(),
            "data-lookup-search": _("Search"),
            "data-lookup-placeholder": _("Type to search…"),
            "data-lookup-empty": _("No matches."),
            "data-lookup-more": _("More matches: type more of the name."),
            "data-lookup-error": _("The search failed; try again."),
        }

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        choices = self.lookup_choices()
        if choices is not None and choices.first()[2]:
            attrs = {**(attrs or {}), **self.lookup_attrs()}
        return super().get_context(name, value, attrs)

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None):
        choices = self.lookup_choices()
        if choices is None:
            return super().optgroups(name, value, attrs)
        extras, first, more = choices.first()
        shown = extras + (choices.selected(value) if more else first)
        groups = []
        has_selected = False
        for index, (option_value, label) in enumerate(shown):
            option_value = "" if option_value is None else option_value
            selected = not has_selected and str(option_value) in value
            has_selected |= selected
            option = self.create_option(name, option_value, label, selected, index, attrs=attrs)
            groups.append((None, [option], index))
        return groups

    def use_required_attribute(self, initial: Any) -> bool:
        choices = self.lookup_choices()
        if choices is None:
            return super().use_required_attribute(initial)
        extras, first, _more = choices.first()
        first_choice = next(iter(extras + first), None)
        return (
            forms.Widget.use_required_attribute(self, initial)
            and first_choice is not None
            and self._choice_has_empty_value(first_choice)
        )


# --- the JSON endpoints -------------------------------------------------------------------------


class LookupView(RightsMixin, View):
    """`?q=words`: up to LOOKUP_RESULTS `{"id", "text"}` ordered by name, every word found in
    one of `search_fields`, among the rows `restrict` lets the user act on with `?action=`
    (one of `actions`, view by default). Anonymous → login; no right anywhere → 403."""

    model: ClassVar[type[Model]]
    search_fields: ClassVar[tuple[str, ...]]
    only: ClassVar[tuple[str, ...]]
    actions: ClassVar[frozenset[Action]] = frozenset({Action.VIEW})

    def get(self, request: HttpRequest) -> JsonResponse:
        action = request.GET.get("action", Action.VIEW.value)
        if action not in self.actions:
            return JsonResponse({"results": [], "more": False}, status=400)
        queryset = restrict(self.model._default_manager.all(), request.user, action)
        query = request.GET.get("q", "")
        found = list(
            queryset.filter(search_condition(query, self.search_fields))
            .only(*self.only)
            .order_by("name", "pk")[: LOOKUP_RESULTS + 1]
        )
        results = [{"id": row.pk, "text": str(row)} for row in found[:LOOKUP_RESULTS]]
        return JsonResponse({"results": results, "more": len(found) > LOOKUP_RESULTS})


# The endpoints, registered by the apps that own their models (AppConfig.ready()); collab.urls
# serves them under /lookup/ with the names "collab:<name>".
_registered: dict[str, tuple[str, type[LookupView]]] = {}


def register_lookup(route: str, view: type[LookupView], *, name: str) -> None:
    """Serve `view` at /lookup/<route> as "collab:<name>" (the `url_name` of its select)."""
    _registered[name] = (route, view)


def lookup_urlpatterns() -> list[URLPattern]:
    return [path(route, view.as_view(), name=name) for name, (route, view) in _registered.items()]
