"""Every download of a spreadsheet goes through the one writer that neutralises formulas.

The guarantee has two halves. Statically: every route whose path, URL name or view names an export is marked
`@spreadsheet_export`, and that mark makes the view fail on any successful answer not built by
`spreadsheet_response`. At run time: every such route without parameters is downloaded, in both formats, from
a territory whose texts all start with = + - @, a tab or a carriage return, and every cell is read back."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from maillage.web.spreadsheets import is_spreadsheet_export, spreadsheet_export, spreadsheet_response
from tests.helpers import sign_in
from tests.spreadsheets.worlds import assert_neutralised, place, planted
from tests.urls import walk

SAMPLE_UUID = "00000000-0000-4000-8000-000000000000"
SAMPLE_PARAMETERS = {"int": "1", "str": "x", "slug": "x", "path": "x"}


def concrete(route: str) -> str:
    """A path for the route: a sample value for each parameter (a UUID for the project's own converters)."""
    return "/" + re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_PARAMETERS.get(m.group(1) or "str", SAMPLE_UUID), route
    )


def url_name(route: str) -> str:
    try:
        return resolve(concrete(route)).view_name
    except Resolver404:
        return ""


def export_routes() -> list[tuple[str, object]]:
    """Routes whose path, URL name or view function says « export », or whose path names a spreadsheet."""
    return [
        (route, callback)
        for route, callback in walk()
        if "export" in route
        or "export" in url_name(route)
        or "export" in getattr(callback, "__name__", "")
        or route.endswith((".csv", ".xlsx"))
    ]


def test_export_routes_are_found():
    found = {url_name(route) for route, _callback in export_routes()}
    assert {
        "actionplan_spreadsheets:actions_export",
        "prevention_spreadsheets:events_export",
        "prevention_spreadsheets:trainings_export",
        "statistics:export",
        "statistics:open_data_csv",
    } <= found


def test_every_export_route_goes_through_the_shared_writer():
    unmarked = [f"/{route}" for route, callback in export_routes() if not is_spreadsheet_export(callback)]
    assert not unmarked, (
        "Export routes whose view is not marked @spreadsheet_export (maillage/web/spreadsheets.py), so "
        "nothing proves they neutralise formulas:\n" + "\n".join(unmarked)
    )


def test_the_mark_refuses_a_download_built_without_the_writer(db):
    @spreadsheet_export
    def homemade(request):
        return HttpResponse('=HYPERLINK("http://x");1\r\n', content_type="text/csv")

    @spreadsheet_export
    def refused(request):
        return HttpResponse("Formulaire incorrect", status=400)

    @spreadsheet_export
    def shared(request):
        return spreadsheet_response("essai", ["Titre"], [["=1+1"]], "csv", actor=None)

    request = RequestFactory().get("/")
    with pytest.raises(ImproperlyConfigured, match="without spreadsheet_response"):
        homemade(request)
    assert refused(request).status_code == 400
    assert assert_neutralised(shared(request).content, "csv") == [["Titre"], ["'=1+1"]]


@pytest.mark.django_db
def test_every_export_route_without_parameters_neutralises_every_cell(client):
    herbiers = place()
    planted(herbiers)
    sign_in(client, herbiers.coordinator.user, herbiers.coordinator)
    crawled = []
    for route, _callback in export_routes():
        if "<" in route:
            continue  # covered by the mark above; its objects would need building
        for file_format in ("csv", "xlsx"):
            response = client.get(concrete(route), {"format": file_format})
            assert response.status_code == 200, f"/{route}?format={file_format}: {response.status_code}"
            assert response["Content-Disposition"].startswith("attachment; filename=")
            kind = "csv" if response["Content-Type"].startswith("text/csv") else "xlsx"
            rows = assert_neutralised(response.content, kind)
            assert len(rows) > 1, f"/{route}: the planted rows are missing"
            crawled.append(f"/{route} {file_format}")
    assert len(crawled) >= 6
