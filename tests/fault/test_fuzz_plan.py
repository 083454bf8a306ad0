"""Mangled plan files (YAML): loaded as a valid new version, or refused with file, line and field.

Property: `parse_plan_file` raises PlanFileError naming the file, a line and a field, or returns a document
that `plan_load` writes completely (storable on PostgreSQL too); never another exception, and a refused file
changes nothing. Input: the real Meierij plan file, mangled.
"""

import pytest
from django.db import transaction
from hypothesis import example, given

from ivp.core.backup import dump_database
from ivp.plans.planfile import PlanFileError, parse_plan_file
from ivp.plans.services import plan_load
from tests.conftest import PLAN_FILE

from .checks import assert_issues, assert_storable
from .mangle import FUZZ, InsertBytes, YamlValue, apply, mangled, yaml_mutations

pytestmark = pytest.mark.django_db


def test_mangled_plan_files_are_loaded_or_refused_whole(plan, tmp_path):
    before = dump_database()
    original = PLAN_FILE.read_bytes()
    target = tmp_path / "plan.yaml"

    @FUZZ
    @given(mangled(yaml_mutations()))
    @example([InsertBytes(40, b"\x00")])  # found by this test: YAML's ReaderError escaped
    @example([InsertBytes(40, b"\x07")])
    @example([YamlValue(3, "[" * 3000)])  # found by this test: RecursionError escaped
    def run(mutations):
        target.write_bytes(apply(mutations, original))
        with transaction.atomic():
            try:
                document = parse_plan_file(target)
            except PlanFileError as exc:
                # Problems of the whole file (not YAML, not UTF-8, empty) point at the line where they occur.
                assert_issues(exc.issues, str(target))
                assert dump_database() == before
            else:
                result = plan_load(actor=None, document=document, source_name=str(target))
                assert result.plan.key == document["plan"]["key"]
                assert_storable()
            transaction.set_rollback(True)

    run()
