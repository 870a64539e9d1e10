from enum import StrEnum


class ConnectorKind(StrEnum):
    LOCALFILE = "localfile"
    S3 = "s3"

    def __str__(self) -> str:
        return str(self.value)
