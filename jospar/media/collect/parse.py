"""What a feed, a sitemap, an export file or an article page says, from the bytes fetched."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from typing import Any

import feedparser
import htmldate
import trafilatura
from lxml import etree

MAX_ITEMS = 1000


@dataclass
class Item:
    url: str
    title: str = ""
    summary: str = ""
    published: dt.datetime | None = None
    image_url: str = ""


class Unreadable(ValueError):
    """Not a feed, sitemap or export file."""


def _when(struct: Any) -> dt.datetime | None:
    if not struct:
        return None
    try:
        year, month, day, hour, minute, second = (int(v) for v in struct[:6])
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html or "")).strip()


def parse_feed(body: bytes) -> list[Item]:
    parsed = feedparser.parse(body)
    if parsed.get("bozo") and not parsed.entries:
        raise Unreadable("not an RSS or Atom feed")
    if not parsed.entries and not parsed.get("feed"):
        raise Unreadable("not an RSS or Atom feed")
    items = []
    for entry in parsed.entries[:MAX_ITEMS]:
        link = str(entry.get("link") or "").strip()
        if not link.startswith(("http://", "https://")):
            continue
        image = ""
        for enclosure in entry.get("enclosures") or []:
            if str(enclosure.get("type", "")).startswith("image/"):
                image = str(enclosure.get("href") or "")
                break
        items.append(
            Item(
                url=link,
                title=_plain(str(entry.get("title") or ""))[:1000],
                summary=_plain(str(entry.get("summary") or "")),
                published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
                image_url=image,
            )
        )
    return items


_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _iso(text: str) -> dt.datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def parse_sitemap(body: bytes) -> list[Item]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise Unreadable("not a sitemap") from exc
    if root.tag != f"{_SM}urlset":
        raise Unreadable("not a sitemap of pages")
    items = []
    for node in root.iter(f"{_SM}url"):
        loc = (node.findtext(f"{_SM}loc") or "").strip()
        if not loc.startswith(("http://", "https://")):
            continue
        when = _iso(node.findtext(f"{_NEWS}news/{_NEWS}publication_date") or "") or _iso(
            node.findtext(f"{_SM}lastmod") or ""
        )
        title = (node.findtext(f"{_NEWS}news/{_NEWS}title") or "").strip()
        items.append(Item(url=loc, title=title[:1000], published=when))
        if len(items) >= MAX_ITEMS:
            break
    return items


def _post(row: dict[str, Any]) -> Item | None:
    url = str(row.get("url") or row.get("link") or "").strip()
    if not url.startswith(("http://", "https://")):
        return None
    text = str(row.get("text") or row.get("message") or "").strip()
    return Item(
        url=url,
        title=str(row.get("title") or "").strip()[:1000],
        summary=text,
        published=_iso(str(row.get("date") or row.get("published") or "")),
    )


def parse_export(data: bytes, name: str) -> list[Item]:
    """Posts exported from a social network: CSV or JSON with url, text, date (and title)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable("the file is not UTF-8 text") from exc
    rows: list[Any]
    if name.lower().endswith(".json"):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Unreadable("not a JSON file") from exc
        rows = loaded if isinstance(loaded, list) else []
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    items = [
        item
        for row in rows[:MAX_ITEMS]
        if isinstance(row, dict)
        for item in [_post(row)]
        if item is not None
    ]
    if not items:
        raise Unreadable("no posts with an address")
    return items


@dataclass
class Article:
    text: str
    title: str
    published: dt.date | None
    # The page's versions in other languages (``<link rel="alternate" hreflang=...>``).
    alternates: tuple[str, ...] = ()


_ALTERNATE = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-z-]+)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def _alternates(page: str) -> tuple[str, ...]:
    """Addresses of the page's Kazakh and Russian versions, as its head declares them."""
    found = []
    for tag in _ALTERNATE.findall(page[:200_000]):
        attrs = {k.lower(): v.strip() for k, v in _ATTR.findall(tag)}
        lang = attrs.get("hreflang", "").lower()[:2]
        href = attrs.get("href", "")
        if (
            attrs.get("rel", "").lower() == "alternate"
            and lang in ("kk", "ru")
            and href.startswith(("http://", "https://"))
        ):
            found.append(href[:1000])
    return tuple(dict.fromkeys(found))[:10]


def extract_article(html: bytes, url: str) -> Article:
    """The article's main text and its date, as trafilatura and htmldate read the page."""
    page = html.decode("utf-8", errors="replace")
    text = trafilatura.extract(page, url=url, include_comments=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(page)
    title = (meta.title if meta is not None and meta.title else "") or ""
    found = htmldate.find_date(page, url=url, outputformat="%Y-%m-%d", original_date=True)
    day = None
    if found:
        try:
            day = dt.date.fromisoformat(str(found))
        except ValueError:
            day = None
    return Article(
        text=text.strip(),
        title=title.strip()[:1000],
        published=day,
        alternates=_alternates(page),
    )
