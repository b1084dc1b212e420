"""A Generous Heart winner's certificate as PDF: one page in Kazakh, one in Russian, laid out by
WeasyPrint from ``initiatives/heart/certificate.html``. It is issued from the published results
of a closed cycle: only a nominee in first place of a cycle whose results are published has one.
The layout needs no file (DejaVu Serif, which carries every Kazakh letter, comes from the
system's fonts; the frame and the heart are CSS and text), and nothing is fetched."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jospar.control.exports.pdf_layout import refuse_fetch as _refuse_fetch
from jospar.initiatives.models import HeartNominee

# The certificate's two languages, in the order of its pages.
CERTIFICATE_LANGUAGES = ("kk", "ru")


@dataclass(frozen=True)
class CertificatePage:
    lang: str
    title: str
    programme: str
    awarded: str
    name: str
    nomination: str
    level: str
    number: str
    issued: str


def has_certificate(nominee: HeartNominee) -> bool:
    """Winners of a cycle whose results are published; ``nominee`` comes with its cycle."""
    cycle = nominee.nomination.cycle
    return cycle.results_published_at is not None and nominee.place == 1


def certificate_number(nominee: HeartNominee) -> str:
    """Stable and readable: the year, the region's code (KZ nationally), the nominee's id."""
    cycle = nominee.nomination.cycle
    where = cycle.region.code.upper() if cycle.region is not None else "KZ"
    return f"{cycle.year:d}-{where}-{nominee.pk:d}"


def _subject_name(nominee: HeartNominee) -> str:
    if nominee.organisation is not None:
        return str(nominee.organisation.name) or nominee.organisation.name_ru
    return nominee.name


def _page(nominee: HeartNominee, lang: str) -> CertificatePage:
    cycle = nominee.nomination.cycle
    assert cycle.results_published_at is not None
    with translation.override(lang):
        if cycle.region is not None:
            level = _("%(region)s: the regional stage") % {"region": cycle.region.name}
        else:
            level = _("The national stage")
        return CertificatePage(
            lang=lang,
            title=_("Certificate of honour"),
            programme=_("Generous Heart %(year)s") % {"year": f"{cycle.year:d}"},
            awarded=_("is awarded to"),
            name=_subject_name(nominee),
            nomination=_("winner in the nomination «%(nomination)s»")
            % {"nomination": nominee.nomination.name},
            level=level,
            number=_("No. %(number)s") % {"number": certificate_number(nominee)},
            issued=_("Issued on %(date)s")
            % {"date": timezone.localdate(cycle.results_published_at).strftime("%d.%m.%Y")},
        )


def certificate_html(nominee: HeartNominee) -> str:
    pages = [_page(nominee, lang) for lang in CERTIFICATE_LANGUAGES]
    return render_to_string("initiatives/heart/certificate.html", {"pages": pages})


def certificate_pdf(nominee: HeartNominee) -> bytes:
    """The PDF's bytes; ``nominee`` comes with its nomination, cycle, region, person and
    organisation (``access_nominee``), so that laying it out reads nothing more."""
    from weasyprint import HTML

    data: bytes = (
        HTML(string=certificate_html(nominee), url_fetcher=_refuse_fetch).render().write_pdf()
    )
    return data
