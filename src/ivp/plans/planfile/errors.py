from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class PlanFileIssue:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return _("%(where)s: field %(field)s: %(message)s") % {
            "where": where, "field": self.field or "-", "message": self.message,
        }


class PlanFileError(Exception):
    """A plan file that cannot be loaded. Nothing has been written."""

    def __init__(self, issues: list[PlanFileIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))
