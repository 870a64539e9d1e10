from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_parse_job_form import CreateParseJobForm
from ...models.create_parse_job_response import CreateParseJobResponse
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateParseJobForm,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/jobs/parse-jobs/",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateParseJobResponse | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CreateParseJobResponse.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = CreateParseJobResponse.from_dict(response.json())

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
) -> Response[CreateParseJobResponse | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateParseJobForm,
    idempotency_key: str | Unset = UNSET,
) -> Response[CreateParseJobResponse | ErrorBody]:
    """Create a parse job from one document, or several in one request

     Send one `file` part, or up to 25 repeated `files` parts (200 MB each,
    250 MB per request). With `input_connector=s3` no file part is sent and
    `input_connection_data` names the object. The answer carries
    `parse_job` (one file), `parse_jobs` plus `failed_files` (several
    files), or only `job_id` on older servers.

    Args:
        idempotency_key (str | Unset):
        body (CreateParseJobForm): The form to create parse jobs. `processing_options`,
            `input_connection_data` and `output_connection_data` are JSON documents
            sent as strings. Known `processing_options` keys: `languages` (list of
            two-letter codes, default `["en"]`), `page_range` (`"1-5"`,
            `"1,3,5-10"`; empty means every page), `parse_type` (`auto`, `complex`,
            `handwritten`), `image_annotations`, `force_image_annotations`,
            `table_enrichment` (booleans, default false). Unknown keys are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateParseJobResponse | ErrorBody]
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
    body: CreateParseJobForm,
    idempotency_key: str | Unset = UNSET,
) -> CreateParseJobResponse | ErrorBody | None:
    """Create a parse job from one document, or several in one request

     Send one `file` part, or up to 25 repeated `files` parts (200 MB each,
    250 MB per request). With `input_connector=s3` no file part is sent and
    `input_connection_data` names the object. The answer carries
    `parse_job` (one file), `parse_jobs` plus `failed_files` (several
    files), or only `job_id` on older servers.

    Args:
        idempotency_key (str | Unset):
        body (CreateParseJobForm): The form to create parse jobs. `processing_options`,
            `input_connection_data` and `output_connection_data` are JSON documents
            sent as strings. Known `processing_options` keys: `languages` (list of
            two-letter codes, default `["en"]`), `page_range` (`"1-5"`,
            `"1,3,5-10"`; empty means every page), `parse_type` (`auto`, `complex`,
            `handwritten`), `image_annotations`, `force_image_annotations`,
            `table_enrichment` (booleans, default false). Unknown keys are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateParseJobResponse | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateParseJobForm,
    idempotency_key: str | Unset = UNSET,
) -> Response[CreateParseJobResponse | ErrorBody]:
    """Create a parse job from one document, or several in one request

     Send one `file` part, or up to 25 repeated `files` parts (200 MB each,
    250 MB per request). With `input_connector=s3` no file part is sent and
    `input_connection_data` names the object. The answer carries
    `parse_job` (one file), `parse_jobs` plus `failed_files` (several
    files), or only `job_id` on older servers.

    Args:
        idempotency_key (str | Unset):
        body (CreateParseJobForm): The form to create parse jobs. `processing_options`,
            `input_connection_data` and `output_connection_data` are JSON documents
            sent as strings. Known `processing_options` keys: `languages` (list of
            two-letter codes, default `["en"]`), `page_range` (`"1-5"`,
            `"1,3,5-10"`; empty means every page), `parse_type` (`auto`, `complex`,
            `handwritten`), `image_annotations`, `force_image_annotations`,
            `table_enrichment` (booleans, default false). Unknown keys are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateParseJobResponse | ErrorBody]
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
    body: CreateParseJobForm,
    idempotency_key: str | Unset = UNSET,
) -> CreateParseJobResponse | ErrorBody | None:
    """Create a parse job from one document, or several in one request

     Send one `file` part, or up to 25 repeated `files` parts (200 MB each,
    250 MB per request). With `input_connector=s3` no file part is sent and
    `input_connection_data` names the object. The answer carries
    `parse_job` (one file), `parse_jobs` plus `failed_files` (several
    files), or only `job_id` on older servers.

    Args:
        idempotency_key (str | Unset):
        body (CreateParseJobForm): The form to create parse jobs. `processing_options`,
            `input_connection_data` and `output_connection_data` are JSON documents
            sent as strings. Known `processing_options` keys: `languages` (list of
            two-letter codes, default `["en"]`), `page_range` (`"1-5"`,
            `"1,3,5-10"`; empty means every page), `parse_type` (`auto`, `complex`,
            `handwritten`), `image_annotations`, `force_image_annotations`,
            `table_enrichment` (booleans, default false). Unknown keys are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateParseJobResponse | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
