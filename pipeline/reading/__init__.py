"""Reading the catalogue: text export and JSONL -> Fiche records, with file and line in errors."""
