"""The plan file: a documented, human-editable YAML format for a whole plan (docs/plan-file-format.md).

- `parse_plan_file(path)` validates a file and returns its canonical document (plain dict), or
  raises PlanFileError listing every problem with file, line and field;
- `document_hash(doc)` identifies a document's content;
- `dump_yaml(doc)` / `dump_json(doc)` write a document back.
"""

from .canonical import document_hash, dump_json, dump_yaml
from .errors import PlanFileError, PlanFileIssue
from .parser import parse_plan_file, parse_plan_text

__all__ = [
    "PlanFileError", "PlanFileIssue", "document_hash", "dump_json", "dump_yaml", "parse_plan_file",
    "parse_plan_text",
]
