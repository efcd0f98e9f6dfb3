"""What an input says about its article besides the text: a JSON Lines record, a sidecar
``<name>.json``; and what the articles table says of an article from them and its dateline.

Fields (the first name present wins; null or blank values count as absent):

=============  ==========================  ==============================================
field          JSON names                  value
=============  ==========================  ==============================================
text           ``text``                    the article (JSON Lines only; required)
published      ``published``, ``date``     ISO 8601 date or date-time, or RFC 2822 date
url            ``url``                     string
outlet         ``outlet``, ``source``      string
title          ``title``                   string
(ignored)      ``id``                      string or integer, when given
=============  ==========================  ==============================================

A date-time's date is taken as written (in its own time zone). A record that is not a JSON
object, lacks text, or holds a field of the wrong type or an unreadable date is refused with a
sentence saying which, as ``transforms.decode`` refuses bytes.

>>> decoded, meta = decode_json_line(b'{"text": "Rain fell.", "date": "1987-02-26", "source": "Reuters"}')
>>> decoded.text, meta.published, meta.outlet
('Rain fell.', datetime.date(1987, 2, 26), 'Reuters')
>>> decode_json_line(b'{"title": "No body"}')[0].detail
'the record has no "text"'
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime

from dateutil.parser import isoparse

from transforms.dateline import find_dateline
from transforms.decode import Decoded, decode_article

_FIELDS = {"published": ("published", "date"), "url": ("url",), "outlet": ("outlet", "source"), "title": ("title",)}


@dataclass(frozen=True, slots=True)
class ArticleMetadata:
    published: date | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Description:
    """What the articles table says of an article besides its text and lineage."""

    title: str | None
    published_date: date | None
    date_source: str | None       # metadata or dateline (the contract's vocabulary); None: no date
    dateline_place: str | None


class _Refused(ValueError):
    """A record that cannot be read: its message is the reject's detail."""


def decode_json_line(line: bytes) -> tuple[Decoded, ArticleMetadata]:
    """A JSON Lines record's text (checked as file bytes are: empty, binary) and metadata.

    >>> decode_json_line(b'[1, 2]')[0].detail
    'the record is a JSON array, not an object'
    >>> decode_json_line(b'{"text": "Hi.", "url": 7}')[0].detail
    '"url" is a number, not a string'
    """
    try:
        record = _json_object(line)
        text = record.get("text")
        if text is None:
            return Decoded(reason="empty", detail='the record has no "text"'), ArticleMetadata()
        _check_string("text", text)
        if record.get("id") is not None and (isinstance(record["id"], bool) or not isinstance(record["id"], str | int)):
            raise _Refused(f'"id" is {_kind(record["id"])}, not a string or an integer')
        metadata = _metadata(record)
    except _Refused as refused:
        return Decoded(reason="undecodable", detail=str(refused)), ArticleMetadata()
    decoded = decode_article(text.encode("utf-8", "surrogatepass"))    # a lone surrogate becomes U+FFFD
    if decoded.reason == "empty":
        return Decoded(reason="empty", detail='the record\'s "text" is blank'), metadata
    return decoded, metadata


def read_sidecar(data: bytes) -> ArticleMetadata | str:
    """The metadata a sidecar ``<name>.json`` gives its text file, or why it cannot be read.

    >>> read_sidecar(b'{"published": "2019-01-04T09:30:00+01:00", "outlet": "Wikinews"}')
    ArticleMetadata(published=datetime.date(2019, 1, 4), url=None, outlet='Wikinews', title=None)
    >>> read_sidecar(b'{"published": "last Friday"}')
    '"published" is not an ISO 8601 or RFC 2822 date: \\'last Friday\\''
    """
    try:
        return _metadata(_json_object(data))
    except _Refused as refused:
        return str(refused)


def describe_article(text: str, metadata: ArticleMetadata, headline: str | None) -> Description:
    """The article's title: the metadata's, else its ``headline``; its date: the metadata's, else
    its dateline's (``find_dateline``; one without a year takes the metadata's year); and the
    place its dateline names.

    >>> describe_article("Friday, January 4, 2019\\nA building fell.", ArticleMetadata(), None)
    Description(title=None, published_date=datetime.date(2019, 1, 4), date_source='dateline', dateline_place=None)
    >>> describe_article("LIMA, Feb 26 - Rain.", ArticleMetadata(date(1987, 2, 25), title="Rain"), None)
    Description(title='Rain', published_date=datetime.date(1987, 2, 25), date_source='metadata', dateline_place='LIMA')
    """
    dateline = find_dateline(text, metadata.published.year if metadata.published else None)
    title = metadata.title or headline
    place = dateline.place if dateline else None
    if metadata.published is not None:
        return Description(title, metadata.published, "metadata", place)
    if dateline is not None and dateline.date is not None:
        return Description(title, dateline.date, "dateline", place)
    return Description(title, None, None, place)


def parse_published(value: str) -> date | None:
    """The date an ISO 8601 or RFC 2822 date (or date-time) names, or None.

    >>> parse_published("1987-02-26"), parse_published("Thu, 26 Feb 1987 18:00:00 +0000")
    (datetime.date(1987, 2, 26), datetime.date(1987, 2, 26))
    >>> parse_published("26/02/1987") is None
    True
    """
    try:
        return isoparse(value.strip()).date()
    except (ValueError, OverflowError):
        pass
    try:
        return parsedate_to_datetime(value).date()
    except (ValueError, TypeError, IndexError):
        return None


def _json_object(data: bytes) -> dict:
    try:
        record = json.loads(data)
    except UnicodeDecodeError as error:
        raise _Refused(f"not valid utf-8: byte 0x{data[error.start]:02x} at position {error.start}") from None
    except json.JSONDecodeError as error:
        raise _Refused(f"not JSON: {error.msg} at character {error.pos}") from None
    except RecursionError:
        raise _Refused("not JSON this reader can hold: nested too deep") from None
    if not isinstance(record, dict):
        raise _Refused(f"the record is {_kind(record)}, not an object")
    return record


def _metadata(record: dict) -> ArticleMetadata:
    published, url, outlet, title = (_field(record, names) for names in _FIELDS.values())
    day = parse_published(published[1]) if published else None
    if published and day is None:
        raise _Refused(f'"{published[0]}" is not an ISO 8601 or RFC 2822 date: {published[1]!r}')
    return ArticleMetadata(day, *(found[1] if found else None for found in (url, outlet, title)))


def _field(record: dict, names: tuple[str, ...]) -> tuple[str, str] | None:
    """(name, value) of the first of ``names`` holding a non-blank string (stripped), or None;
    a value of another type is refused."""
    for name in names:
        value = record.get(name)
        if value is not None:
            _check_string(name, value)
            if value.strip():
                return name, value.strip()
    return None


def _check_string(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise _Refused(f'"{name}" is {_kind(value)}, not a string')


def _kind(value: object) -> str:
    kinds = ((bool, "a boolean"), (int | float, "a number"), (str, "a string"), (list, "a JSON array"),
             (dict, "a JSON object"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")
