from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.result_format import ResultFormat
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    job_id: str,
    *,
    output_format: ResultFormat | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_output_format: str | Unset = UNSET
    if not isinstance(output_format, Unset):
        json_output_format = output_format.value

    params["output_format"] = json_output_format

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs/parse-jobs/{job_id}/result/".format(
            job_id=quote(str(job_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

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
) -> Response[ErrorBody | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    output_format: ResultFormat | Unset = UNSET,
) -> Response[ErrorBody | File]:
    """Download a parse job's result

     A finished job answers the raw result bytes with
    `Content-Disposition: attachment; filename=...`. A job that is not
    finished answers 200 with the JSON `ResultNotReady` object: tell the
    two apart by `Content-Type`. A conversion the service cannot make
    (for example `zip` when no table was found) is a 400.

    Args:
        job_id (str):
        output_format (ResultFormat | Unset): `zip` holds one xlsx workbook per table found.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        output_format=output_format,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    output_format: ResultFormat | Unset = UNSET,
) -> ErrorBody | File | None:
    """Download a parse job's result

     A finished job answers the raw result bytes with
    `Content-Disposition: attachment; filename=...`. A job that is not
    finished answers 200 with the JSON `ResultNotReady` object: tell the
    two apart by `Content-Type`. A conversion the service cannot make
    (for example `zip` when no table was found) is a 400.

    Args:
        job_id (str):
        output_format (ResultFormat | Unset): `zip` holds one xlsx workbook per table found.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        output_format=output_format,
    ).parsed


async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    output_format: ResultFormat | Unset = UNSET,
) -> Response[ErrorBody | File]:
    """Download a parse job's result

     A finished job answers the raw result bytes with
    `Content-Disposition: attachment; filename=...`. A job that is not
    finished answers 200 with the JSON `ResultNotReady` object: tell the
    two apart by `Content-Type`. A conversion the service cannot make
    (for example `zip` when no table was found) is a 400.

    Args:
        job_id (str):
        output_format (ResultFormat | Unset): `zip` holds one xlsx workbook per table found.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        output_format=output_format,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    output_format: ResultFormat | Unset = UNSET,
) -> ErrorBody | File | None:
    """Download a parse job's result

     A finished job answers the raw result bytes with
    `Content-Disposition: attachment; filename=...`. A job that is not
    finished answers 200 with the JSON `ResultNotReady` object: tell the
    two apart by `Content-Type`. A conversion the service cannot make
    (for example `zip` when no table was found) is a 400.

    Args:
        job_id (str):
        output_format (ResultFormat | Unset): `zip` holds one xlsx workbook per table found.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            output_format=output_format,
        )
    ).parsed
