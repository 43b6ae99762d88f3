"""collab.views.record_urls: a model's usual pages under the one URL scheme, named from the
model and the page each generic view is."""

from __future__ import annotations

import pytest

from collab import views as generic
from programs.models import Site
from programs.views import IN_PROGRAM


class SiteList(generic.ObjectListView):
    queryset = Site.objects.all()


class SiteCreate(generic.ObjectCreateView):
    model = Site


class SiteArchive(generic.ObjectArchiveView):
    queryset = Site.objects.all()


def routes(patterns) -> dict[str, str]:
    return {pattern.name: str(pattern.pattern) for pattern in patterns}


def test_it_names_each_page_after_the_model_and_the_page():
    patterns = generic.record_urls("sites", SiteCreate, SiteList, parent=IN_PROGRAM)

    assert routes(patterns) == {
        "site_create": "programs/<slug:slug>/sites/new/",
        "site_list": "sites/",
    }


def test_an_archive_view_serves_archive_and_unarchive():
    patterns = generic.record_urls("sites", SiteArchive)

    assert routes(patterns) == {
        "site_archive": "sites/<int:pk>/archive/",
        "site_unarchive": "sites/<int:pk>/unarchive/",
    }
    archive, unarchive = (pattern.callback.view_initkwargs for pattern in patterns)
    assert archive == {}
    assert unarchive == {"archive": False}


def test_a_view_that_is_no_page_of_the_scheme_is_refused():
    class Done(generic.ObjectActionView):
        queryset = Site.objects.all()

    with pytest.raises(AttributeError):
        generic.record_urls("sites", Done)
