"""Tests for pipeline.atomic: whole-or-nothing writes that honour the umask, links and devices."""

import os
import stat
import threading

import pytest

from pipeline.atomic import atomic_file, atomic_folder


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_umask_permissions_and_an_existing_one_keeps_its_mode(
        tmp_path, umask_022):
    new = tmp_path / "out.jsonl"
    with atomic_file(new) as handle:
        handle.write("a\n")
    assert mode(new) == 0o644
    new.chmod(0o640)
    with atomic_file(new) as handle:
        handle.write("b\n")
    assert mode(new) == 0o640 and new.read_text() == "b\n"


def test_a_failed_write_leaves_the_previous_content_and_no_temporary_file(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("good\n")
    with pytest.raises(RuntimeError), atomic_file(out) as handle:
        handle.write("half")
        raise RuntimeError("crash")
    assert out.read_text() == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_symlink_is_followed_so_the_link_stays_and_its_target_is_replaced(tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    with atomic_file(link) as handle:
        handle.write("new\n")
    assert link.is_symlink() and real.read_text() == "new\n"


def test_a_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with atomic_file(fifo) as handle:
        handle.write("streamed\n")
    reader.join(5)
    assert received == [b"streamed\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_folder_appears_whole_with_umask_permissions(tmp_path, umask_022):
    target = tmp_path / "model"
    with atomic_folder(target) as tmp:
        (tmp / "card.json").write_text("{}")
        assert not target.exists()
    assert mode(target) == 0o755 and mode(target / "card.json") == 0o644
    with atomic_folder(target) as tmp:  # replaced whole
        (tmp / "other.json").write_text("{}")
    assert sorted(p.name for p in target.iterdir()) == ["other.json"]
    with atomic_folder(target, merge=True) as tmp:  # merged: other files stay
        (tmp / "card.json").write_text("{}")
    assert sorted(p.name for p in target.iterdir()) == ["card.json", "other.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
