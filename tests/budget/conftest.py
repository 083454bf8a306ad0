"""Fixtures of the fund tests: the real CBS population (37230ned) of the five municipalities."""

import csv

import pytest

POPULATION_FILE = ("population", "population_gemeente_37230_2002_2024_meierij.csv")
FIVE = ["GM0757", "GM0797", "GM0845", "GM0865", "GM1948"]


@pytest.fixture
def cbs_population(shared_data) -> dict[tuple[str, int], int]:
    """Inhabitants on 1 January per (CBS code, year), read straight from the CBS file."""
    with open(shared_data.joinpath(*POPULATION_FILE), encoding="utf-8") as fh:
        return {(row["regio_code"], int(row["jaar"])): int(row["bevolking_begin_jaar"]) for row in csv.DictReader(fh)}
