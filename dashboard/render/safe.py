"""Safe text: untrusted names, labels and notes escaped for each place they go.

Markdown (titles, captions, labels) gets `md`, HTML (tables, charts) gets `escape`, and a
table that a user downloads gets `neutral_cells`, so that text from data files never runs as a
spreadsheet formula. Pure functions; the web layer calls them before anything reaches Streamlit.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from dashboard.domain.fmt import neutralise

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# A ':' before a non-space (a scheme, an icon, a colour), "www" before a dot, an '@'.
_AUTOLINK = re.compile(r":(?=\S)|(?i:www)(?=\.)|@")


def escape(text: object) -> str:
    """Escape untrusted text (area names, labels from data files) before it reaches HTML.

    White space is folded to single spaces: inside an HTML block in markdown a blank line would
    end the block, and the markdown after it (an image, a link) would render."""
    return html.escape(" ".join(("" if text is None else str(text)).split()), quote=True)


def md(text: object) -> str:
    """Escape untrusted text for Streamlit markdown (titles, captions, labels).

    Streamlit does not render raw HTML in markdown, but links and images would render: an
    area name like `![x](http://host/)` must stay text and never make the browser fetch.
    Bare URLs, e-mail addresses, `:material/...:` icons and `:red[...]` colours are found in
    the text after its escapes are read, so a zero-width space breaks them (invisible).
    """
    text = _AUTOLINK.sub("\\g<0>\u200b", "" if text is None else str(text))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def md_delta(text: object) -> str:
    """`md` for a metric's delta: Streamlit reads a leading '-' as a fall, so it stays."""
    text = "" if text is None else str(text)
    sign = "-" if text.startswith("-") else ""
    return sign + md(text[len(sign) :])


def neutral_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (object and string dtypes:
    pandas 3 gives text columns the 'str' dtype, which is not `object`)."""
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as CSV for Dutch Excel: semicolons, UTF-8 with BOM, no formulas from data."""
    out = neutral_cells(df)
    out.columns = [neutralise(str(c)) for c in out.columns]  # headers hold area names
    return out.to_csv(sep=";", index=False).encode("utf-8-sig")
