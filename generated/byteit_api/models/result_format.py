from enum import StrEnum


class ResultFormat(StrEnum):
    HTML = "html"
    JSON = "json"
    MD = "md"
    TXT = "txt"
    ZIP = "zip"

    def __str__(self) -> str:
        return str(self.value)
