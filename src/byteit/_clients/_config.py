"""What both clients are made of, resolved and checked once, and the types their methods share."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

from byteit._batch._pressure import CEILING
from byteit._checks import check_default_timeout, check_poll_schedule, check_retry_policy
from byteit._clock import Clock
from byteit._http._auth import APIKeyAuth
from byteit._http._errors import error_from_transport
from byteit._http._operations import CallContext, Operation
from byteit._http._settings import Settings, resolve_settings
from byteit._secret import Secret
from byteit.models import JobStatus
from byteit.options import ProcessingOptions
from byteit.polling import PollSchedule, PollTimer, fresh_job_timer, given
from byteit.retry import RetryPolicy, RetryState

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
# Connections kept open: a batch's whole depth (up to its default max_concurrency)
# and its polls, so a deep batch does not open a new connection per request.
LIMITS = httpx.Limits(max_connections=None, max_keepalive_connections=CEILING + 8)
Options = ProcessingOptions | Mapping[str, Any] | None
ProgressCallback = Callable[[JobStatus], None]


@attrs.frozen
class ClientConfig:
    """What both clients are made of, resolved and checked once."""

    settings: Settings
    auth: APIKeyAuth
    timeout: httpx.Timeout
    retry: RetryPolicy
    polls: PollSchedule
    clock: Clock
    rng: random.Random

    @classmethod
    def create(
        cls,
        *,
        api_key: Secret | None,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        retry_policy: RetryPolicy | None,
        poll_schedule: PollSchedule | None,
        clock: Clock,
    ) -> ClientConfig:
        settings = resolve_settings(api_key, base_url)
        return cls(
            settings=settings,
            auth=APIKeyAuth(settings.api_key),
            timeout=check_default_timeout(timeout),
            retry=check_retry_policy(max_retries, retry_policy),
            polls=check_poll_schedule(poll_schedule) or PollSchedule(),
            clock=clock,
            rng=random.Random(),  # noqa: S311  (backoff jitter, not cryptography)
        )

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        retry_policy: RetryPolicy | None,
        poll_schedule: PollSchedule | None,
    ) -> ClientConfig:
        """This configuration with the given settings changed (None: kept)."""
        retry = self.retry
        if retry_policy is not None or max_retries is not None:
            retries = self.retry.max_retries if max_retries is None else max_retries
            retry = check_retry_policy(retries, retry_policy)
        return attrs.evolve(
            self,
            timeout=self.timeout if timeout is None else check_default_timeout(timeout),
            retry=retry,
            polls=check_poll_schedule(poll_schedule) or self.polls,
        )

    def start_retries(self, operation: Operation[Any], context: CallContext) -> RetryState:
        """Retry bookkeeping for one call, sent as `context` says."""
        pressure = context.pressure
        return self.retry.start(
            self.clock.monotonic(),
            rng=self.rng,
            replay_safe=operation.replay_safe,
            description=operation.description,
            within=context.within,
            budget=pressure.budget if pressure else None,
            on_throttle=pressure.limit.throttled if pressure else None,
        )

    def retry_delay_or_raise(
        self, state: RetryState, error: httpx.TransportError, operation: Operation[Any]
    ) -> float:
        """How long to wait before retrying after `error`, or the `NetworkError` to raise."""
        delay = state.after_error(error, self.clock.monotonic())
        if delay is None:
            secret = self.settings.api_key
            failure = error_from_transport(error, operation=operation.description, secret=secret)
            # An httpx error may quote a header value: never chain one that holds the key.
            raise failure from (None if secret.appears_in(str(error)) else error)
        return delay

    def request_timeout(self, context: CallContext) -> httpx.Timeout:
        return self.timeout if context.timeout is None else context.timeout

    def poll_timer(self, poll_interval: float | None, max_wait_time: float | None) -> PollTimer:
        schedule = PollSchedule.fixed(poll_interval) if poll_interval else self.polls
        return PollTimer(schedule, self.clock.monotonic(), max_wait_time)

    def fresh_job_timer(
        self, poll_interval: float | None, max_wait_time: float | None
    ) -> PollTimer:
        """The polling of a job just created (see `byteit.polling`): a fixed
        `poll_interval`, a schedule the client was given, or the fresh-job pace."""
        schedule = PollSchedule.fixed(poll_interval) if poll_interval else self.polls
        return fresh_job_timer(given(schedule), self.clock.monotonic(), max_wait_time)
