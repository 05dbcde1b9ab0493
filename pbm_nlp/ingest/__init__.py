"""Read documents (txt/docx/xlsx/pdf) and parse them into typed records, one parser per family."""
