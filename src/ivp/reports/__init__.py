"""Council reports (midterm evaluation, annual progress report): one report model assembled from live
data, rendered as HTML, PDF and DOCX, made in the background from the web or from the CLI."""
