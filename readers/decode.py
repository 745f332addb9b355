"""Bytes to text: UTF-8 (BOM optional), UTF-16/32 with a BOM, and clear refusals.

Offsets anywhere in saidwho are ``str`` indices into the decoded text. A byte-order mark
is an encoding signature, not text, so it is dropped: a ``.txt`` file's article text is
the file's text exactly, minus a leading BOM if there is one.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from importlib import resources

from saidwho.readers.common import ReadError

# Longest prefix inspected by the binary heuristics; enough to judge, cheap on 50 MB.
SAMPLE_CHARS = 64 * 1024
# More than this share of control characters in the sample means "not text".
CONTROL_RATIO = 0.10

# UTF-32 first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# C0 and C1 controls that no prose uses; tab, newlines, form feed and NEL are fine.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0e-\x1f\x7f]")
_HTML_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def decode_bytes(data: bytes, *, fmt: str = "txt") -> str:
    """Decode a file's bytes, or raise ReadError with the reason it is not text.

    UTF-8 is the rule. UTF-8, UTF-16 and UTF-32 with a byte-order mark are decoded (the
    mark dropped). HTML that is not UTF-8 but declares a charset in a ``<meta>`` tag or
    XML declaration is decoded with that charset, as a browser would. Byte positions in
    errors are 0-based offsets into the file, as a hex editor shows them.
    """
    if not data:
        raise ReadError("empty file")
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise ReadError(f"not valid {label} text (byte {err.start + len(bom)})") from None
    if b"\x00" in data:
        if _looks_like_utf16(data):
            raise ReadError("UTF-16 text without a byte-order mark is not supported")
        raise ReadError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if _control_byte_ratio(data) > CONTROL_RATIO:
            raise ReadError("binary file (control characters)") from None
        if fmt == "html":
            text = _decode_declared_charset(data)
            if text is not None:
                return text
        raise ReadError(f"not valid UTF-8 text (byte {err.start})") from None


def check_text(text: str) -> None:
    """Refuse text that is really binary data: NUL characters or many control characters."""
    if "\x00" in text:
        raise ReadError("binary file (contains NUL characters)")
    sample = text[:SAMPLE_CHARS]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls and controls > CONTROL_RATIO * len(sample):
        raise ReadError("binary file (control characters)")


def _looks_like_utf16(data: bytes) -> bool:
    """Mostly-ASCII UTF-16 puts a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    for half in (even, odd):
        if half.count(0) >= 0.9 * len(half):
            other = odd if half is even else even
            return other.count(0) < 0.1 * len(other)
    return False


def _control_byte_ratio(data: bytes) -> float:
    sample = data[:SAMPLE_CHARS]
    return len(_CONTROL_BYTES.findall(sample)) / len(sample)


@functools.cache
def _web_codecs() -> dict[str, str | None]:
    """Label -> Python codec, for every label in ``data/web-encodings.json``."""
    raw = resources.files("saidwho.readers").joinpath("data/web-encodings.json").read_text("utf-8")
    table: dict[str, str | None] = {}
    for encoding in json.loads(raw)["encodings"]:
        for label in encoding["labels"]:
            table[label] = encoding["python"]
    return table


def web_codec(label: str) -> str | None:
    """The Python codec for a charset label a web page can declare, else None.

    Only the WHATWG Encoding Standard's labels count: Python also knows codecs no page can
    declare (punycode and idna take quadratic time, rot13, uu, base64, zlib_codec are not
    text encodings at all), and a page naming one is read as if it named none. Every codec
    returned here decodes in linear time.
    """
    label = label.strip("\t\n\f\r ").lower()
    return _web_codecs().get(label)


def _decode_declared_charset(data: bytes) -> str | None:
    match = _HTML_CHARSET.search(data[:8192])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii")
    encoding = web_codec(name)
    if encoding is None:
        return None
    if encoding == "utf-8" or encoding.startswith("utf-16"):
        return None  # already tried, or impossible without NULs
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
