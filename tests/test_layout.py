"""Which files in a project are records: every other file in a record folder is named, with why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen.layout import FORMATS, OutsideBuild, build_path, record_files
from reportgen.pipeline import open_project
from tests.conftest import TODAY


def test_every_file_not_read_is_named_with_the_reason(synthetic_project: Path):
    incidents = synthetic_project / "incidents"
    real = next(incidents.rglob("*.yaml"))
    outside = synthetic_project.parent / "outside"
    outside.mkdir()
    (outside / "elsewhere.yaml").write_bytes(real.read_bytes())
    (incidents / "linked.yaml").symlink_to(real)
    (incidents / "linked-folder").symlink_to(outside, target_is_directory=True)
    (real.parent / "shouting.YAML").write_text("id: x\n")
    (real.parent / "draft.yaml~").write_text("id: x\n")
    (incidents / "notes.txt").write_text("to do\n")
    (incidents / "README.md").write_text("# How we curate\n")  # documentation: not a record
    (incidents / "empty").mkdir()
    (incidents / "empty" / ".gitkeep").write_text("")
    os.mkfifo(incidents / "pipe.yaml")
    warned = {p.path: p.message for p in open_project(synthetic_project, today=TODAY).warnings}
    year = real.parent.name
    assert warned == {
        f"incidents/{year}/draft.yaml~": "not read: the file is not a YAML file",
        f"incidents/{year}/shouting.YAML": "not read: the file ends in '.YAML', and only '.yaml' and "
                                        "'.yml' (lower case) are read",
        "incidents/linked-folder": "not read: the file is a symbolic link, which reportgen does not follow",
        "incidents/linked.yaml": "not read: the file is a symbolic link, which reportgen does not follow",
        "incidents/notes.txt": "not read: the file is not a YAML file",
        "incidents/pipe.yaml": "not read: the file is not a regular file",
    }


def test_the_build_and_the_loader_read_the_same_files(synthetic_project: Path):
    """The no-op build's scan and the loader share one list of record files."""
    from reportgen.make.scan import input_files

    (synthetic_project / "actors" / "linked.yaml").symlink_to(next((synthetic_project / "actors").iterdir()))
    project = open_project(synthetic_project, today=TODAY)
    records = {path for folder in ("incidents", "actors")
               for path, _ in record_files(synthetic_project, folder)[0]}
    scanned = {key for key in input_files(synthetic_project, "templates")
               if key.startswith(("incidents/", "actors/"))}
    assert scanned == records
    assert {doc.path for doc in project.origins.values()} == records


def test_build_path_refuses_every_way_out_of_build(tmp_path):
    root = tmp_path / "project"
    (tmp_path / "elsewhere" / "inside").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    root.mkdir()
    (root / "build").symlink_to(tmp_path / "elsewhere")  # build/ itself may be a link (another disk)
    (root / "build" / "out").symlink_to(tmp_path / "outside")
    (root / "build" / "in").symlink_to(root / "build" / "inside")
    (root / "build" / "file-out").symlink_to(tmp_path / "outside" / "x.md")
    assert build_path(root, "build/inside/x.md") == root / "build/inside/x.md"
    assert build_path(root, "build/file-out", follow=False) == root / "build/file-out"  # the link itself
    for stored in ["../outside/x.md", f"{tmp_path}/outside/x.md", "build/../../outside/x.md",
                   "build/out/x.md", "build/file-out", "build/in/x.md", "build\\..\\x.md", "build/x\x00.md",
                   "build/\ud800", "build", "build/", "build//x.md", "build/./x.md", "incidents/x.yaml", "",
                   "build/" + "x" * 256, "build/" + "x/" * 600 + "x"]:
        with pytest.raises(OutsideBuild):
            build_path(root, stored)
    with pytest.raises(OutsideBuild, match="goes through a symbolic link, which reportgen never follows"):
        build_path(root, "build/out/x.md", follow=False)


def test_the_build_folders_formats_are_the_models():
    assert FORMATS == FORMATS


@pytest.mark.parametrize("kind", ["file", "pipe", "link", "folder", "missing"])
def test_read_kept_reads_a_regular_file_only_and_never_waits(tmp_path, kind):
    """What an earlier build left is read only if it is a regular file: a pipe is not waited
    on, a link is not followed (even to a regular file), a folder is refused."""
    from reportgen.layout import NotAFile, read_kept

    target = tmp_path / "outside.txt"
    target.write_bytes(b"outside")
    path = tmp_path / "kept"
    if kind == "file":
        path.write_bytes(b"kept")
        assert read_kept(path) == b"kept"
        return
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "link":
        path.symlink_to(target)
    elif kind == "folder":
        path.mkdir()
    expected = {"missing": FileNotFoundError, "folder": IsADirectoryError}.get(kind, NotAFile)
    with pytest.raises(expected):
        read_kept(path)
