"""Shared constants of the OData connector tests."""

import os
from pathlib import Path

SHARED_DATA = Path(os.environ.get("IVP_SHARED_DATA", "/work/shared/data"))
SAMPLES = SHARED_DATA / "odata_samples"
REFERENCE = SHARED_DATA / "reference"

#: Boxtel, Heusden, Sint-Michielsgestel, Vught, Meierijstad (PROVENANCE.md)
MEIERIJ = frozenset({"GM0757", "GM0797", "GM0845", "GM0865", "GM1948"})
