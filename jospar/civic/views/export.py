"""The public list as open data: a CSV of the reports the filters select, in the reader's
language (``export_csv``). Up to ``EXPORT_IN_BACKGROUND_OVER`` rows it streams at once, by
keyset; a larger export is built by a worker for a signed-in person, who downloads it from its
own page (docs/decisions.md, "Citizen side at scale")."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jospar.civic.access import access_csv_export
from jospar.civic.export_csv import csv_lines
from jospar.civic.models import ExportState
from jospar.civic.selectors.export import public_export_count
from jospar.civic.services.exports import report_csv_export_request
from jospar.civic.views.common import error_text, filter_form, login_redirect, user_of
from jospar.core.errors import ServiceError

# Streamed by the web worker up to this many rows; a larger export goes to a Celery worker.
# Measured at a constant 3,300–3,800 rows/s on the loaded 2-core benchmark machine: 20,000
# rows hold a web thread about 6 s (docs/decisions.md, "Citizen side at scale").
DEFAULT_IN_BACKGROUND_OVER = 20_000


def in_background_over() -> int:
    return int(getattr(settings, "CIVIC_EXPORT_IN_BACKGROUND_OVER", DEFAULT_IN_BACKGROUND_OVER))


def _lang() -> str:
    lang = translation.get_language() or "kk"
    return lang[:2] if lang[:2] in ("kk", "ru", "en") else "kk"


@require_GET
def report_list_csv(request: HttpRequest) -> HttpResponseBase:
    form = filter_form(request)
    filters = form.filters()
    lang = _lang()
    limit = in_background_over()
    if public_export_count(filters, up_to=limit + 1) > limit:
        return render(
            request,
            "civic/export_large.html",
            {"limit": limit, "query": request.GET.urlencode(), "signed_in": user_of(request)},
        )
    marker = 999_999_999
    template = request.build_absolute_uri(reverse("civic:report", args=[marker]))

    def stream() -> Iterator[str]:
        # The rows are written after the view returns: keep the reader's language for them.
        with translation.override(lang):
            yield from csv_lines(filters, lang, lambda pk: template.replace(str(marker), str(pk)))

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="jospar-reports-{stamp}.csv"'
    return response


@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user is None:
        return login_redirect(request)
    query = str(request.POST.get("query", ""))[:2000]
    try:
        export = report_csv_export_request(actor=user, query=query, lang=_lang())
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return redirect(f"{reverse('civic:list-csv')}?{query}" if query else "civic:list-csv")
    messages.success(request, _("The file is being prepared: this page shows when it is ready."))
    return redirect("civic:export", export_id=export.pk)


@require_GET
def export_page(request: HttpRequest, export_id: int) -> HttpResponse:
    export = access_csv_export(user_of(request), export_id)
    return render(
        request,
        "civic/export.html",
        {"export": export, "ready": export.state == ExportState.DONE and bool(export.file)},
    )


@require_GET
def export_file(request: HttpRequest, export_id: int) -> FileResponse:
    export = access_csv_export(user_of(request), export_id)
    if export.state != ExportState.DONE or not export.file:
        raise Http404
    stamp = timezone.localtime(export.finished_at or export.requested_at).date().isoformat()
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"jospar-reports-{stamp}.csv",
        content_type="text/csv; charset=utf-8",
    )
