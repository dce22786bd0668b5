"""Make untrusted text safe to put on a terminal.

Every string that came from a file passes through :func:`neutralise` before it is
stored in the model, so nothing downstream (the CLI, the widgets) can forget to.
"""

from __future__ import annotations

import re

# Bidi overrides and isolates can reorder what a reader sees (the "Trojan Source"
# trick); embeddings and marks are harmless for display but overrides are not.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_TRANSLATION: dict[int, str] = {}
for _code in range(0x20):
    if _code not in (0x09, 0x0A):
        # U+2400..U+241F are the "control pictures": visible, one cell wide.
        _TRANSLATION[_code] = chr(0x2400 + _code)
_TRANSLATION[0x7F] = "\u2421"  # ␡
for _code in range(0x80, 0xA0):
    _TRANSLATION[_code] = "\ufffd"  # C1 controls (incl. 8-bit CSI/OSC) have no pictures.
for _char in BIDI_CONTROLS:
    _TRANSLATION[ord(_char)] = ""
# Line and paragraph separators would break a terminal line without a newline.
_TRANSLATION[0x2028] = "\n"
_TRANSLATION[0x2029] = "\n"
# Lone surrogates: a file name's bytes that are not UTF-8 come from the file system as
# U+DC80..U+DCFF ("surrogateescape"). No stream can encode them (a copy to the
# clipboard raised UnicodeEncodeError): they become the replacement character.
for _code in range(0xD800, 0xE000):
    _TRANSLATION[_code] = "\ufffd"

UNSAFE_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + BIDI_CONTROLS
"""The characters :func:`neutralise` changes, as the inside of a regex character class."""
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")


def neutralise(text: str) -> str:
    """Replace control characters with visible stand-ins and drop bidi overrides.

    Lone surrogates (undecodable bytes of a file name) become U+FFFD, so the result
    always encodes as UTF-8. Keeps ``\\n`` and ``\\t``. Idempotent: the stand-ins are
    printable characters.
    """
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_TRANSLATION)


def neutralise_line(text: str) -> str:
    """Like :func:`neutralise`, for one-line fields (titles, paths): no newlines or tabs."""
    text = neutralise(text)
    if "\n" in text or "\t" in text:
        text = text.replace("\t", " ").replace("\n", " ")
    return text


def is_safe(text: str) -> bool:
    """True when *text* has no character that :func:`neutralise` would change."""
    return _UNSAFE.search(text) is None
