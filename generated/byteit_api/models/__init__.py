"""Contains all the data models used in inputs/outputs"""

from .boolean_string import BooleanString
from .connector_kind import ConnectorKind
from .create_custom_job_form import CreateCustomJobForm
from .create_extract_job_request import CreateExtractJobRequest
from .create_extract_job_request_schema import CreateExtractJobRequestSchema
from .create_parse_job_form import CreateParseJobForm
from .create_parse_job_response import CreateParseJobResponse
from .creation_format import CreationFormat
from .custom_job import CustomJob
from .custom_job_envelope import CustomJobEnvelope
from .custom_job_extraction_schema_type_0 import CustomJobExtractionSchemaType0
from .custom_job_json_result import CustomJobJsonResult
from .custom_job_list import CustomJobList
from .document_metadata import DocumentMetadata
from .error_body import ErrorBody
from .extract_job import ExtractJob
from .extract_job_envelope import ExtractJobEnvelope
from .extract_job_extraction_schema_type_0 import ExtractJobExtractionSchemaType0
from .extract_job_list import ExtractJobList
from .extract_job_result import ExtractJobResult
from .extract_job_result_result_type_0 import ExtractJobResultResultType0
from .extraction_complexity import ExtractionComplexity
from .failed_file import FailedFile
from .job_status import JobStatus
from .json_result import JsonResult
from .parse_job import ParseJob
from .parse_job_envelope import ParseJobEnvelope
from .parse_job_list import ParseJobList
from .parse_job_processing_options_type_0 import ParseJobProcessingOptionsType0
from .result_format import ResultFormat
from .result_not_ready import ResultNotReady
from .saved_schema import SavedSchema
from .saved_schema_list import SavedSchemaList
from .saved_schema_schema_json import SavedSchemaSchemaJson

__all__ = (
    "BooleanString",
    "ConnectorKind",
    "CreateCustomJobForm",
    "CreateExtractJobRequest",
    "CreateExtractJobRequestSchema",
    "CreateParseJobForm",
    "CreateParseJobResponse",
    "CreationFormat",
    "CustomJob",
    "CustomJobEnvelope",
    "CustomJobExtractionSchemaType0",
    "CustomJobJsonResult",
    "CustomJobList",
    "DocumentMetadata",
    "ErrorBody",
    "ExtractJob",
    "ExtractJobEnvelope",
    "ExtractJobExtractionSchemaType0",
    "ExtractJobList",
    "ExtractJobResult",
    "ExtractJobResultResultType0",
    "ExtractionComplexity",
    "FailedFile",
    "JobStatus",
    "JsonResult",
    "ParseJob",
    "ParseJobEnvelope",
    "ParseJobList",
    "ParseJobProcessingOptionsType0",
    "ResultFormat",
    "ResultNotReady",
    "SavedSchema",
    "SavedSchemaList",
    "SavedSchemaSchemaJson",
)
