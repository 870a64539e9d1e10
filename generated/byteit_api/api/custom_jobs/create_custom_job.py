from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_custom_job_form import CreateCustomJobForm
from ...models.custom_job_envelope import CustomJobEnvelope
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateCustomJobForm,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/jobs/custom-jobs/",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CustomJobEnvelope | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CustomJobEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = CustomJobEnvelope.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CustomJobEnvelope | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateCustomJobForm,
    idempotency_key: str | Unset = UNSET,
) -> Response[CustomJobEnvelope | ErrorBody]:
    """Create a custom job from several documents, an optional schema and a prompt

     One or more `files` parts (local uploads only), each named and typed
    as a parse job's `file` part is. With `schema` the result is a JSON
    object filled against it; without, it is text (e.g. Markdown).

    Args:
        idempotency_key (str | Unset):
        body (CreateCustomJobForm): The form to create a custom job. `schema` is a JSON Schema
            object sent
            as a JSON-encoded string.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomJobEnvelope | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateCustomJobForm,
    idempotency_key: str | Unset = UNSET,
) -> CustomJobEnvelope | ErrorBody | None:
    """Create a custom job from several documents, an optional schema and a prompt

     One or more `files` parts (local uploads only), each named and typed
    as a parse job's `file` part is. With `schema` the result is a JSON
    object filled against it; without, it is text (e.g. Markdown).

    Args:
        idempotency_key (str | Unset):
        body (CreateCustomJobForm): The form to create a custom job. `schema` is a JSON Schema
            object sent
            as a JSON-encoded string.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomJobEnvelope | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateCustomJobForm,
    idempotency_key: str | Unset = UNSET,
) -> Response[CustomJobEnvelope | ErrorBody]:
    """Create a custom job from several documents, an optional schema and a prompt

     One or more `files` parts (local uploads only), each named and typed
    as a parse job's `file` part is. With `schema` the result is a JSON
    object filled against it; without, it is text (e.g. Markdown).

    Args:
        idempotency_key (str | Unset):
        body (CreateCustomJobForm): The form to create a custom job. `schema` is a JSON Schema
            object sent
            as a JSON-encoded string.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomJobEnvelope | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateCustomJobForm,
    idempotency_key: str | Unset = UNSET,
) -> CustomJobEnvelope | ErrorBody | None:
    """Create a custom job from several documents, an optional schema and a prompt

     One or more `files` parts (local uploads only), each named and typed
    as a parse job's `file` part is. With `schema` the result is a JSON
    object filled against it; without, it is text (e.g. Markdown).

    Args:
        idempotency_key (str | Unset):
        body (CreateCustomJobForm): The form to create a custom job. `schema` is a JSON Schema
            object sent
            as a JSON-encoded string.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomJobEnvelope | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
