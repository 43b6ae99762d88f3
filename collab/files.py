"""Private files (signed scans, background exports) sent to the user a view has let through.

They live under PRIVATE_MEDIA_ROOT, outside any served URL. By default Django streams them
(`FileResponse`: `runserver`, tests). In production, with `COLLAB_ACCEL_REDIRECT` set to the
prefix of nginx's `internal` location (deploy/nginx/collab.conf: `/_private/`), the view only
decides: it answers with an empty body and `X-Accel-Redirect: <prefix><path under
PRIVATE_MEDIA_ROOT>`, and nginx sends the file itself, so a gunicorn worker is not held for the
length of a slow download. The headers set here (type, attachment name, cache control, nosniff)
travel with it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header


def private_file_response(
    path: Path, *, filename: str, content_type: str, no_store: bool = False
) -> HttpResponse:
    """The file at `path` (under PRIVATE_MEDIA_ROOT) as a download named `filename`.

    Raises FileNotFoundError when the file is missing (the caller decides what that means).
    Private in every cache; `no_store` keeps it out of the browser's too (exports), otherwise it
    is fetched afresh after a change (`no-cache`: signed scans).
    """
    path = Path(path).resolve()
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    if not path.is_relative_to(root):
        raise FileNotFoundError(path)  # never hand nginx a path outside the private folder
    prefix = settings.COLLAB_ACCEL_REDIRECT
    if prefix:
        if not path.is_file():
            raise FileNotFoundError(path)
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(prefix + path.relative_to(root).as_posix())
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            path.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    if no_store:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response
