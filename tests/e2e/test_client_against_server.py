"""The facade against the local server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from byteit import (
    AuthenticationError,
    BytesInputConnector,
    JobProcessingError,
    PollSchedule,
    RateLimitError,
    ResourceNotFoundError,
)
from byteit_server.samples import IMAGE_TEXT, make_samples

from .conftest import Client, OpenClient, Run

pytestmark = pytest.mark.e2e

EXPECTED = {
    "invoice.pdf": "Invoice number",
    "report.docx": "Quarterly Report",
    "prices.html": "Widget",
    "notes.txt": "Meeting notes",
    "readme.md": "Product Guide",
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {path.name: path for path in make_samples(tmp_path_factory.mktemp("samples"))}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_document_type_is_extracted(
    client: Client, run: Run, samples: dict[str, Path], name: str
) -> None:
    text = run(client.process_document(samples[name], max_wait_time=60))
    assert isinstance(text, bytes)
    assert EXPECTED[name] in text.decode()


def test_an_image_is_read_by_ocr(client: Client, run: Run, samples: dict[str, Path]) -> None:
    """With tesserocr from pip, or the system binary when there is one."""
    text = run(client.process_document(samples["scan.png"], max_wait_time=60))
    assert isinstance(text, bytes)
    assert all(line in text.decode() for line in IMAGE_TEXT)


def test_several_documents_come_back_in_input_order(
    client: Client, run: Run, samples: dict[str, Path], tmp_path: Path
) -> None:
    names = ["notes.txt", "report.docx", "invoice.pdf"]
    outputs = [tmp_path / f"{n}.json" for n in names]
    written = run(
        client.process_document(
            [samples[n] for n in names],
            processing_options={"output_format": "json"},
            output_path=outputs,
            max_wait_time=60,
        )
    )
    assert written == [str(path) for path in outputs]
    for name, path in zip(names, outputs, strict=True):
        assert EXPECTED[name] in json.dumps(json.loads(path.read_bytes()))


def test_a_bad_key_is_an_authentication_error(
    open_client: OpenClient, run: Run, byteit_server: object
) -> None:
    with (
        open_client(byteit_server, api_key="wrong.key") as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        run(client.list_jobs())
    assert caught.value.status_code == 401
    assert "wrong.key" not in str(caught.value)


def test_an_unknown_job_is_not_found(client: Client, run: Run) -> None:
    with pytest.raises(ResourceNotFoundError):
        run(client.get_job("no-such-job"))


def test_a_corrupt_file_fails_its_job_with_a_reason(
    client: Client, run: Run, tmp_path: Path
) -> None:
    corrupt = tmp_path / "broken.pdf"
    corrupt.write_bytes(b"%PDF-1.7 this is not really a pdf")
    with pytest.raises(JobProcessingError) as caught:
        run(client.process_document(corrupt, max_wait_time=60))
    assert caught.value.processing_error
    assert run(client.list_jobs()).count >= 1  # the server keeps serving


def test_a_retried_creation_makes_one_job(
    open_client: OpenClient,
    run: Run,
    byteit_server: object,
    samples: dict[str, Path],
    flavour: str,
) -> None:
    """The same Idempotency-Key twice gives back the first job, not a second one."""
    key = f"e2e-once-{flavour}"  # the session's server keeps each client's first job
    with open_client(byteit_server) as client:
        first = run(client.create_job(samples["notes.txt"], idempotency_key=key))
        again = run(client.create_job(samples["notes.txt"], idempotency_key=key))
        assert not isinstance(first, list)
        assert not isinstance(again, list)
        assert first.id == again.id
        ids = [job.id for job in run(client.list_jobs())]
        assert ids.count(first.id) == 1


class _RecordingClock:
    """Records the client's waits instead of sleeping through them."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def test_the_client_waits_as_the_servers_retry_after_says(
    open_client: OpenClient, run: Run, byteit_server_factory: object
) -> None:
    """A real 429 with Retry-After from the server sets the client's waits (none real)."""
    server = byteit_server_factory(rate_limit=0.5, rate_limit_burst=1)  # type: ignore[operator]
    clock = _RecordingClock()
    with open_client(server, max_retries=2, clock=clock) as client:
        assert run(client.list_jobs()).count == 0  # spends the only token
        with pytest.raises(RateLimitError) as caught:
            run(client.list_jobs())
    retry_after = caught.value.retry_after
    assert retry_after is not None
    assert retry_after >= 1
    assert clock.sleeps == [retry_after, retry_after]


def test_a_job_survives_a_server_restart(
    open_client: OpenClient, run: Run, byteit_server_factory: object, tmp_path: Path
) -> None:
    """Created before a restart, the job finishes after it and its result is readable."""
    start = byteit_server_factory  # the plugin's factory
    data_dir = tmp_path / "data"
    first = start(data_dir=data_dir, processing_delay=60)  # type: ignore[operator]
    with open_client(first) as client:
        job = run(client.create_job(BytesInputConnector(b"survives\n", filename="a.txt")))
    assert not isinstance(job, list)
    first.stop()
    second = start(data_dir=data_dir)  # type: ignore[operator]
    quick = PollSchedule(initial=0.05, maximum=0.2)
    with open_client(second, poll_schedule=quick) as client:
        assert run(client.wait_for_job(job.id, max_wait_time=30)).is_completed
        assert run(client.get_job_result(job.id)) == b"survives\n"


def test_a_batch_yields_each_document_as_it_completes(
    client: Client, run: Run, samples: dict[str, Path]
) -> None:
    names = ["notes.txt", "readme.md", "prices.html"]
    items = list(
        run(client.process_documents_as_completed([samples[n] for n in names], max_wait_time=60))
    )
    assert sorted(item.index for item in items) == [0, 1, 2]
    for item in items:
        assert item.ok, item.error
        assert EXPECTED[names[item.index]] in item.value.decode()
