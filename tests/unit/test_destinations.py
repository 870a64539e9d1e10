"""Where results go: checked before anything is sent, never over a document of the call,
never two to one file, no temporary file left behind, the mode a plain open() gives."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from byteit import (
    ByteITClient,
    ConnectorError,
    LocalFileOutputConnector,
    ValidationError,
)
from byteit._batch._folders import walk_folder
from byteit._delivery._atomic import atomic_write, is_temp_name

from .conftest import FakeServer, result_reply, serve_documents, uploaded_files

RESULT = r"/v1/jobs/parse-jobs/job-1/result/"


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "a.txt"
    path.parent.mkdir()
    path.write_bytes(b"the document")
    return path


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "plain-file"
    path.write_bytes(b"not a folder")
    return path


def sabotage_on_download(server: FakeServer, blocker: Path) -> None:
    """Serve a.txt, but make `blocker` a file as its result is downloaded: the
    destination was fine when checked, and breaks before the result is written."""
    serve_documents(server, {"a.txt": b"text of a"})

    def block_then_answer(_request: httpx.Request) -> httpx.Response:
        blocker.write_bytes(b"in the way")
        return result_reply(b"text of a", filename="a.txt")

    server.add("GET", r"/v1/jobs/parse-jobs/[^/]+/result/", block_then_answer, first=True)


# --- checked before anything is sent ------------------------------------------------------


def test_an_output_path_under_a_file_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, doc: Path, a_file: Path
) -> None:
    target = a_file / "result.txt"
    with pytest.raises(ValidationError, match=str(target)):
        client.process_document(doc, output_path=target)
    assert server.requests == []


def test_one_bad_output_path_of_a_list_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, doc: Path, a_file: Path, tmp_path: Path
) -> None:
    second = tmp_path / "in" / "b.txt"
    second.write_bytes(b"b")
    with pytest.raises(ValidationError, match="plain-file"):
        client.process_document([doc, second], output_path=[tmp_path / "ok.txt", a_file / "b"])
    assert server.requests == []


def test_get_job_result_under_a_file_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, a_file: Path
) -> None:
    target = a_file / "result.txt"
    with pytest.raises(ValidationError, match=str(target)):
        client.get_job_result("job-1", target)
    assert server.requests == []


def test_get_job_result_to_a_folder_that_is_a_file_is_refused(
    client: ByteITClient, server: FakeServer, a_file: Path
) -> None:
    with pytest.raises(ValidationError, match="is a file, not a folder"):
        client.get_job_result("job-1", f"{a_file}/")
    assert server.requests == []


def test_a_local_output_folder_that_is_a_file_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, doc: Path, a_file: Path
) -> None:
    with pytest.raises(ValidationError, match="plain-file: is a file, not a folder"):
        client.process_document(doc, LocalFileOutputConnector(f"{a_file}/"))
    assert server.requests == []


def test_an_output_dir_that_is_a_file_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, doc: Path, a_file: Path
) -> None:
    with pytest.raises(ValidationError, match=f"output_dir {a_file}: is a file"):
        client.process_documents([doc], output_dir=a_file)
    assert server.requests == []


def test_a_mirrored_folder_blocked_by_a_file_fails_that_document_alone(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "x.txt").write_bytes(b"x")
    (root / "y.txt").write_bytes(b"y")
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").write_bytes(b"a file where a folder goes")
    serve_documents(server, {"y.txt": b"text of y"})
    results = client.process_documents([root], output_dir=out, on_error="return")
    assert isinstance(results[0].error, ValidationError)
    assert f"{out / 'sub'} is a file, not a folder" in str(results[0].error)
    assert results[1].value == str(out / "y.txt.txt")
    assert [part.filename for r in server.sent("POST") for part in uploaded_files(r)] == ["y.txt"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="needs a non-root POSIX user (root may write into any folder)",
)
def test_a_folder_that_cannot_be_written_into_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ValidationError, match="cannot write into"):
            client.process_document(doc, output_path=locked / "r.txt")
    finally:
        locked.chmod(0o700)
    assert server.requests == []


# --- failing on disk while delivering -------------------------------------------------------


def test_a_destination_broken_after_the_check_is_a_connector_error_naming_it(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "result.txt"
    sabotage_on_download(server, tmp_path / "out")
    with pytest.raises(ConnectorError, match=str(target)):
        client.process_document(doc, output_path=target)


def test_a_batch_destination_broken_after_the_check_is_a_connector_error(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    sabotage_on_download(server, out)
    [result] = client.process_documents([doc], output_dir=out, on_error="return")
    assert isinstance(result.error, ConnectorError)
    assert str(out / "a.txt.txt") in str(result.error)


# --- never over a document of the call ----------------------------------------------------


def test_a_result_into_the_folder_of_its_document_never_replaces_it(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    """page.html converted to html, into its own folder: the server calls the result
    page.html, the client writes page.html.html."""
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>the original</p>")
    serve_documents(server, {"page.html": b"<p>converted</p>"})
    server.add(
        "GET", r"/v1/jobs/parse-jobs/[^/]+/result/", result_reply(b"<p>converted</p>",
        filename="page.html"), first=True,
    )  # fmt: skip
    written = client.process_document(
        page, output_path=tmp_path, processing_options={"output_format": "html"}
    )
    assert written == str(tmp_path / "page.html.html")
    assert page.read_bytes() == b"<p>the original</p>"
    assert Path(written).read_bytes() == b"<p>converted</p>"


def test_an_output_path_that_is_the_document_itself_is_refused(
    client: ByteITClient, server: FakeServer, doc: Path
) -> None:
    with pytest.raises(ValidationError, match="would replace the document"):
        client.process_document(doc, output_path=doc)
    assert server.requests == []
    assert doc.read_bytes() == b"the document"


def test_a_local_output_file_that_is_the_document_itself_is_refused(
    client: ByteITClient, server: FakeServer, doc: Path
) -> None:
    with pytest.raises(ValidationError, match="would replace the document"):
        client.process_document(doc, LocalFileOutputConnector(doc))
    assert server.requests == []


def test_a_batch_result_that_would_replace_another_document_fails_in_its_place(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    """x.txt's result, x.txt.txt, is another document of the batch."""
    root = tmp_path / "docs"
    root.mkdir()
    (root / "x.txt").write_bytes(b"x")
    (root / "x.txt.txt").write_bytes(b"another document")
    serve_documents(server, {"x.txt.txt": b"text of x.txt.txt"})
    results = client.process_documents([root], output_dir=root, on_error="return")
    assert isinstance(results[0].error, ValidationError)
    assert "would replace the document" in str(results[0].error)
    assert (root / "x.txt.txt").read_bytes() == b"another document"
    assert results[1].value == str(root / "x.txt.txt.txt")


# --- never two results to one file ----------------------------------------------------------


@pytest.fixture
def same_names(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt"]
    for path in paths:
        path.parent.mkdir()
        path.write_bytes(b"from " + path.parent.name.encode())
    return paths


def test_two_documents_of_a_list_sharing_an_output_file_are_refused(
    client: ByteITClient, server: FakeServer, same_names: list[Path], tmp_path: Path
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    with pytest.raises(ValidationError, match=str(folder / "x.txt.txt")):
        client.process_document(same_names, output_path=[folder, folder])
    assert server.requests == []


def test_two_documents_of_a_list_sharing_a_local_output_file_are_refused(
    client: ByteITClient, server: FakeServer, same_names: list[Path], tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="another document of this list"):
        client.process_document(same_names, LocalFileOutputConnector(f"{tmp_path}/d/"))
    assert server.requests == []


def test_the_same_file_given_twice_as_output_paths_is_refused(
    client: ByteITClient, server: FakeServer, same_names: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "r.txt"
    with pytest.raises(ValidationError, match="another document of this list"):
        client.process_document(same_names, output_path=[target, tmp_path / "." / "r.txt"])
    assert server.requests == []


def test_documents_with_distinct_names_may_share_an_output_folder(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    docs = [tmp_path / "p.txt", tmp_path / "q.txt"]
    for path in docs:
        path.write_bytes(path.name.encode())
    serve_documents(server, {"p.txt": b"P", "q.txt": b"Q"})
    out = tmp_path / "out"
    out.mkdir()
    written = client.process_document(docs, output_path=[out, out])
    assert written == [str(out / "p.txt.txt"), str(out / "q.txt.txt")]


# --- naming in a folder -------------------------------------------------------------------


def test_a_result_in_a_folder_is_named_after_its_document(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    serve_documents(server, {"a.txt": b"text of a"})
    out = tmp_path / "out"
    out.mkdir()
    written = client.process_document(
        doc, output_path=out, processing_options={"output_format": "md"}
    )
    assert written == str(out / "a.txt.md")


def test_a_new_folder_given_with_a_slash_is_created(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    serve_documents(server, {"a.txt": b"text of a"})
    written = client.process_document(doc, output_path=f"{tmp_path}/new/")
    assert written == str(tmp_path / "new" / "a.txt.txt")
    assert (tmp_path / "new" / "a.txt.txt").read_bytes() == b"text of a"


# --- a folder given where a document goes -------------------------------------------------


def test_a_folder_given_as_a_plain_path_is_called_a_folder(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    with pytest.raises(ValidationError, match=f"{folder}: is a folder") as caught:
        client.process_document(folder)
    assert "unsupported" not in str(caught.value)
    assert server.requests == []


# --- temporary files --------------------------------------------------------------------------


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from byteit._delivery._atomic import atomic_write

    with atomic_write(Path(sys.argv[1])) as handle:
        handle.write(b"half a result")
        handle.flush()
        print("writing", flush=True)
        sys.stdin.read()
    """
)


@pytest.fixture
def writer_in_a_child(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process, writing tmp_path/out/other.txt, paused halfway."""
    out = tmp_path / "out"
    out.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(out / "other.txt")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    yield child
    if child.poll() is None:
        child.kill()
    child.communicate()


def temp_files(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if is_temp_name(path.name)]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_later_run_removes_the_temporary_file_of_a_killed_writer_only(
    client: ByteITClient,
    server: FakeServer,
    doc: Path,
    tmp_path: Path,
    writer_in_a_child: subprocess.Popen[str],
) -> None:
    out = tmp_path / "out"
    serve_documents(server, {"a.txt": b"text of a"})
    [live] = temp_files(out)
    client.process_documents([doc], output_dir=out)
    assert temp_files(out) == [live]  # its writer is still at work: left alone

    os.kill(writer_in_a_child.pid, signal.SIGKILL)
    writer_in_a_child.wait()
    assert temp_files(out) == [live]  # killed mid-write: left behind
    client.process_documents([doc], output_dir=out)
    assert temp_files(out) == []
    assert sorted(path.name for path in out.iterdir()) == ["a.txt.txt"]


def test_process_document_removes_leftovers_in_its_folder(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / ".a.txt.txt.0123456789ab.byteit.part"
    leftover.write_bytes(b"half")
    lookalike = out / ".a.txt.txt.0123456789ab.part"  # not this client's pattern
    lookalike.write_bytes(b"someone else's")
    serve_documents(server, {"a.txt": b"text of a"})
    client.process_document(doc, output_path=out / "result.txt")
    assert not leftover.exists()
    assert lookalike.exists()


def test_a_live_temporary_file_in_this_process_is_left_alone(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    serve_documents(server, {"a.txt": b"text of a"})
    with atomic_write(out / "other.txt") as handle:
        handle.write(b"still writing")
        client.process_document(doc, LocalFileOutputConnector(f"{out}/"))
        assert len(temp_files(out)) == 1
    assert (out / "other.txt").read_bytes() == b"still writing"
    assert temp_files(out) == []


def test_get_job_result_removes_leftovers_in_its_folder(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    leftover = tmp_path / ".report.txt.0123456789ab.byteit.part"
    leftover.write_bytes(b"half")
    server.add("GET", RESULT, result_reply(b"body", filename="report.txt"))
    client.get_job_result("job-1", tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.txt"]


def test_a_folder_walk_never_picks_up_a_temporary_file(tmp_path: Path) -> None:
    with atomic_write(tmp_path / "result.txt") as handle:
        handle.write(b"half")
        (tmp_path / "doc.txt").write_bytes(b"a document")
        assert walk_folder(tmp_path) == [tmp_path / "doc.txt"]


def test_temporary_names_are_this_clients_own() -> None:
    assert is_temp_name(".a.pdf.txt.0123456789ab.byteit.part")
    assert not is_temp_name(".a.pdf.txt.01234567.part")  # mkstemp's, anyone's
    assert not is_temp_name("a.pdf.txt.0123456789ab.byteit.part")  # not hidden
    assert not is_temp_name(".a.pdf.txt.0123456789xy.byteit.part")


def test_a_very_long_name_still_gets_a_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / ("é" * 120 + ".txt")  # 244 bytes: a longer temporary name would not fit
    with atomic_write(target) as handle:
        handle.write(b"x")
    assert target.read_bytes() == b"x"


# --- file modes -------------------------------------------------------------------------------


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    previous = os.umask(0o022)
    os.umask(previous)
    yield os.umask
    os.umask(previous)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_result_file_gets_the_mode_open_would_give(
    client: ByteITClient,
    server: FakeServer,
    doc: Path,
    tmp_path: Path,
    umask: Callable[[int], None],
    mask: int,
    mode: int,
) -> None:
    serve_documents(server, {"a.txt": b"text of a"})
    umask(mask)
    written = client.process_document(doc, output_path=tmp_path / "r.txt")
    assert stat.S_IMODE(os.stat(written).st_mode) == mode


def test_a_replaced_result_keeps_its_mode(
    client: ByteITClient, server: FakeServer, doc: Path, tmp_path: Path
) -> None:
    target = tmp_path / "r.txt"
    target.write_bytes(b"yesterday")
    target.chmod(0o640)
    serve_documents(server, {"a.txt": b"text of a"})
    client.process_document(doc, output_path=target)
    assert target.read_bytes() == b"text of a"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
