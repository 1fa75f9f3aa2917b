"""The folder the PDF engine's parts and shares are kept in: what is put is what is got, and
nothing damaged, renamed or of an odd name is ever handed back or reached."""

from __future__ import annotations

import pytest

from reportgen.write.cache import FolderCache

NAME = "0123456789abcdef0123456789abcdef"


def test_what_is_put_is_got_and_a_damaged_entry_reads_as_missing(tmp_path):
    cache = FolderCache(tmp_path / "parts")
    assert cache.get("part", NAME) is None
    cache.put("part", NAME, b"%PDF- laid out\n")
    assert cache.get("part", NAME) == b"%PDF- laid out\n"
    assert cache.get("share", NAME) is None  # kinds apart
    path = tmp_path / "parts" / f"{NAME}.part"
    path.write_bytes(path.read_bytes()[:-2] + b"X\n")
    assert cache.get("part", NAME) is None


@pytest.mark.parametrize("name", ["../outside", "/etc/passwd", "ABCDEF0123", "", "0123456789abcdef.pdf"])
def test_a_name_not_made_by_the_engine_is_refused(tmp_path, name):
    cache = FolderCache(tmp_path)
    with pytest.raises(ValueError):
        cache.put("part", name, b"x")
    assert cache.get("part", name) is None and cache.get("other", NAME) is None
    assert list(tmp_path.iterdir()) == []


def test_keep_only_drops_the_unused_of_its_kind_and_files_of_earlier_formats(tmp_path):
    cache = FolderCache(tmp_path)
    other = NAME[::-1]
    for kind in ("part", "share"):
        cache.put(kind, NAME, b"kept")
        cache.put(kind, other, b"unused")
    (tmp_path / f"{NAME}.pdf").write_bytes(b"an earlier format")
    (tmp_path / f"{NAME}.joined").write_bytes(b"an earlier format")
    (tmp_path / f"{other}.part.damaged").write_bytes(b"set aside for a person")
    cache.keep_only("part", [NAME])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{NAME}.part", f"{NAME}.share", f"{other}.part.damaged", f"{other}.share"]
