"""Renderings of one report model: HTML (standalone document and in-app body), PDF (WeasyPrint,
tagged PDF/UA) and DOCX (python-docx)."""
