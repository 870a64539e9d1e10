from enum import StrEnum


class CreationFormat(StrEnum):
    HTML = "html"
    JSON = "json"
    MD = "md"
    TXT = "txt"

    def __str__(self) -> str:
        return str(self.value)
