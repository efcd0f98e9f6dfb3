"""Data Docs that render offline: every page's CDN assets rewritten to copies in the site.

Great Expectations writes its pages with jQuery, Bootstrap, Font Awesome (the pass/fail icons)
and more loaded from CDNs, and its logo from S3: without a network a page is a blank frame.
``make_offline`` copies the pinned assets of ``data_docs_assets/`` into the site's
``static/vendor/`` and points every page at them (the addresses are rows of
``data_docs_assets/assets.tsv``; a tag of a library no validation page calls is dropped).
Integrity and crossorigin attributes go: a browser refuses a script that carries them from a
``file://`` page. A link to the site's own ``static/`` folder is counted from the page's depth:
GE writes the favicon's one folder too shallow on validation pages.

>>> page = '<script src="https://code.jquery.com/jquery-3.7.1.min.js" crossorigin="anonymous"></script>'
>>> rewrite(page, "../..")
'<script src="../../static/vendor/jquery.min.js"></script>'
>>> rewrite('<link rel="icon" href="../../../static/images/favicon.ico"/>', "../../../..")
'<link rel="icon" href="../../../../static/images/favicon.ico"/>'
>>> remote_assets('<link href="https://x.org/a.css"><a href="https://x.org">x</a>')
['https://x.org/a.css']
>>> local_assets('<img src="../static/a.png"><a href="b.html">b</a><style>x { background: url("c.png") }</style>')
['../static/a.png', 'c.png']
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ASSETS = Path(__file__).with_name("data_docs_assets")
VENDOR = "static/vendor"
_DROPPED = "-"
_CHECK_ATTRIBUTES = re.compile(r"""\s+(?:integrity|crossorigin)=(?:"[^"]*"|'[^']*')""")
_ASSET_REFERENCES = re.compile(
    r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["'](https?://[^"']+)["']|url\(\s*["']?(https?://[^"')]+)""",
    re.IGNORECASE)
_LOCAL_REFERENCES = re.compile(
    r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']((?!https?:|data:|\#)[^"'?#]+)|url\(\s*["']?((?!https?:|data:)[^"')?#]+)""",
    re.IGNORECASE)
_SITE_STATIC = re.compile(r"""(?<=["'(])(?:\.\./)*static/(?!vendor/)""")


@dataclass(frozen=True, slots=True)
class Asset:
    url: str
    file: str          # below static/vendor/ (may climb to the site's own static/), or "-": dropped


@cache
def assets() -> tuple[Asset, ...]:
    lines = [line for line in (ASSETS / "assets.tsv").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    return tuple(Asset(*line.split("\t")[:2]) for line in lines[1:])


def make_offline(site: Path) -> None:
    """Copy the vendored assets into ``site`` and rewrite each of its pages to use them."""
    vendor = site / VENDOR
    shutil.copytree(ASSETS, vendor, ignore=shutil.ignore_patterns("*.tsv", "*.md"), dirs_exist_ok=True)
    for page in site.rglob("*.html"):
        to_root = Path(os.path.relpath(site, page.parent)).as_posix()
        page.write_text(rewrite(page.read_text(encoding="utf-8"), to_root), encoding="utf-8")


def rewrite(page: str, to_root: str) -> str:
    """``page`` with every known CDN address replaced by its local copy, ``to_root`` being the
    relative path from the page's folder to the site folder."""
    for asset in assets():
        address = re.escape(asset.url) + r"(?:\?[^\"')\s]*)?(?=[\"')\s])"
        if asset.file == _DROPPED:
            page = re.sub(rf"<script[^>]*\bsrc=[\"']{address}[\"'][^>]*>\s*</script>\n?", "", page)
        else:
            local = os.path.normpath(f"{VENDOR}/{asset.file}").replace(os.sep, "/")
            page = re.sub(address, local if to_root == "." else f"{to_root}/{local}", page)
    page = _SITE_STATIC.sub("static/" if to_root == "." else f"{to_root}/static/", page)
    return _CHECK_ATTRIBUTES.sub("", page)


def remote_assets(page: str) -> list[str]:
    """The addresses ``page`` still loads from the network (scripts, styles, images; links are fine)."""
    return [a or b for a, b in _ASSET_REFERENCES.findall(page)]


def local_assets(page: str) -> list[str]:
    """The relative addresses of the scripts, styles and images ``page`` loads (each must be a file of the site)."""
    return [a or b for a, b in _LOCAL_REFERENCES.findall(page)]
