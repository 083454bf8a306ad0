"""Read a PDF's catalog without a PDF library: objects may sit in compressed object streams
(WeasyPrint writes those for PDF 1.7), so every Flate stream is decompressed and searched too."""

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def texts(pdf: bytes) -> list[bytes]:
    parts = [pdf]
    for match in _STREAM.finditer(pdf):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return parts


def catalog(pdf: bytes) -> bytes:
    """The dictionary text of the /Type /Catalog object."""
    for part in texts(pdf):
        index = part.find(b"/Type /Catalog")
        if index == -1:
            index = part.find(b"/Type/Catalog")
        if index == -1:
            continue
        start = part.rfind(b"<<", 0, index)
        depth, i = 0, start
        while i < len(part):
            if part.startswith(b"<<", i):
                depth += 1
                i += 2
            elif part.startswith(b">>", i):
                depth -= 1
                i += 2
                if depth == 0:
                    return part[start:i]
            else:
                i += 1
    raise AssertionError("no /Catalog in the PDF")
