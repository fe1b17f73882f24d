"""Importing households and their members from the national targeting lists (P3KE /
DTSEN exports), as CSV or XLSX, one row a person.

- `columns`: the expected headers and how a file's headers are matched to them;
- `files`: hostile-file checks (size, type by content, XLSX bombs and entities) and the
  streaming readers;
- `rows`: each row and each KK through the model's own validators;
- `engine`: batches, duplicates against the database, writing with history;
- `service`: `start_import` and `run_import`, which the admin, the command and the task call;
- `report`: the template and the rejection report as XLSX/CSV.
"""
