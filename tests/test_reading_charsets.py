"""A web page's declared charset: only the encodings browsers know are encodings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peelcli.reading import to_text
from peelcli.reading.charsets import CODECS, codec_for_label

Run = Callable[..., Any]
TEXT = "Clare’s Law is café policing"


def page(charset: str, text: str = TEXT) -> str:
    return f'<html><head><meta charset="{charset}"></head><body><p>{text}</p></body></html>'


def read(data: bytes) -> str:
    return to_text(data, "report.html").text.strip()


# Names Python's codec registry knows that are no character encoding, or none a page may
# declare: each gave "internal error: LookupError" or read the page as something else.
NOT_ENCODINGS = (
    "hex", "base64", "bz2", "quopri", "rot13", "rot_13", "uu", "zlib", "undefined", "idna",
    "punycode", "utf-7", "unicode_escape", "raw_unicode_escape", "mbcs", "utf-32", "utf_8_sig",
    "csiso2022kr", "iso-2022-kr", "hz-gb-2312", "utf-16", "utf-16le", "UTF-16BE",
)  # fmt: skip


@pytest.mark.parametrize("charset", NOT_ENCODINGS)
def test_a_name_that_is_no_encoding_label_is_read_as_utf8(charset: str) -> None:
    assert read(page(charset).encode("utf-8")) == TEXT


def test_a_page_declaring_rot13_is_not_decoded_by_it() -> None:
    assert read(page("rot13", "Good").encode()) == "Good"


def test_the_labels_browsers_know_decode_as_they_do() -> None:
    assert read(page("latin1").encode("cp1252")) == TEXT  # iso-8859-1 is windows-1252
    assert read(page(" Windows-1252 ").encode("cp1252")) == TEXT
    assert read(page("x-user-defined").encode("cp1252")) == TEXT
    assert read(page("koi8-r", "Полиция").encode("koi8_r")) == "Полиция"
    assert read(page("shift_jis", "警察").encode("cp932")) == "警察"
    assert read(page("gb2312", "警察").encode("gb18030")) == "警察"


def test_every_label_names_a_codec_python_has() -> None:
    import codecs

    assert len(CODECS) > 200
    for label, codec in CODECS.items():
        assert codecs.lookup(codec).name, label
        assert label == label.lower().strip()
    assert codec_for_label("utf-8") == "utf-8"
    assert codec_for_label("\u212aoi8-r") is None  # a Kelvin sign lowers to a k, in Python


def test_a_utf16_page_is_read_by_its_byte_order_mark() -> None:
    assert read(page("utf-16").encode("utf-16")) == TEXT


@pytest.mark.parametrize("charset", ["hex", "idna", "punycode", "zlib"])
def test_import_of_a_page_declaring_no_encoding_is_no_internal_error(
    charset: str, peel: Run, tmp_path: Path
) -> None:
    source = tmp_path / "page.html"
    source.write_bytes(page(charset).encode("utf-8"))
    result = peel("import", str(source))
    assert result.returncode == 2
    assert "internal error" not in result.stderr
    assert result.stderr.startswith(f"peel: error: {source}: is not the text of a PEEL report")


def test_the_charset_fuzz_target_checks_the_inputs_asked_for() -> None:
    from fuzz_import import fuzz

    assert fuzz(examples=25, seed_value=1, target="charset") == 25
