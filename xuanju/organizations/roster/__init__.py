"""The member roster as .xlsx: import with a row-by-row error report, export, and a blank template.

Reading (:func:`read_roster`) never saves anything: it turns a workbook into typed rows and a list
of errors, each naming the sheet, the row as Excel numbers it, the column letter and header, and
what is wrong in Chinese. A problem with the file as a whole (not an .xlsx, corrupt, too large, no
header) raises :class:`RosterFileError` with one sentence. Saving (:func:`import_rows`) re-checks
every row and saves all of them in one transaction or none.

Decisions (see also the docstrings below):

* Dates: real Excel dates and the usual written forms are accepted. A birth date may be given as
  year and month only (the common 出生年月 column); it is stored as the 1st of that month and the
  preview says so. The age check then only reports members who were certainly under 18. Join and
  full-membership dates must name the day, since voting rights and party age count from them.
* An ID number stored by Excel as a number has already lost its last digits (Excel keeps 15
  significant digits), so such a cell is an error, never silently accepted.
* An ID number already in the database is an error for that row, even for the same person: import
  only adds members; changing one is done on the roster page. Rows sharing an ID number within the
  file are all errors (we cannot know which one is right).
* Probation length is not checked: members who joined 1969–1977 had no probation period.

The package's modules, in the order of an import: :mod:`.columns` (the columns and the results),
:mod:`.values` (one cell to a typed value, pure), :mod:`.reading` (a workbook to rows),
:mod:`.checking` (the rows against the database), :mod:`.saving` and :mod:`.export` (export and
template). Callers import from this package.
"""

from __future__ import annotations

from xuanju.organizations.roster.checking import (
    check_against_database,
    read_roster,
)
from xuanju.organizations.roster.columns import (
    ALIASES,
    COLUMN_BY_FIELD,
    COLUMNS,
    FULL,
    INSTRUCTIONS_SHEET,
    PROBATIONARY,
    ROSTER_SHEET,
    STATUS_TEXT,
    Column,
    RosterFileError,
    RosterReading,
    RosterRow,
    RowError,
)
from xuanju.organizations.roster.export import (
    DATE_FORMAT,
    EXPORT_COLUMNS,
    HEADER_ROW,
    TEXT_FORMAT,
    WIDTHS,
    export_filename,
    export_roster,
    roster_template,
)
from xuanju.organizations.roster.reading import (
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    parse_roster,
)
from xuanju.organizations.roster.saving import import_rows
from xuanju.organizations.roster.values import (
    ADULT_MONTHS,
    EARLIEST_YEAR,
    ETHNIC_GROUPS,
    EXCEL_ERRORS,
    ID_AS_NUMBER,
    parse_date,
    parse_ethnicity,
    parse_gender,
    parse_id_number,
    parse_name,
    parse_phone,
    parse_status,
    row_problems,
)

__all__ = [
    "ADULT_MONTHS",
    "ALIASES",
    "COLUMNS",
    "COLUMN_BY_FIELD",
    "DATE_FORMAT",
    "EARLIEST_YEAR",
    "ETHNIC_GROUPS",
    "EXCEL_ERRORS",
    "EXPORT_COLUMNS",
    "FULL",
    "HEADER_ROW",
    "HEADER_SEARCH_ROWS",
    "ID_AS_NUMBER",
    "INSTRUCTIONS_SHEET",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "PROBATIONARY",
    "ROSTER_SHEET",
    "STATUS_TEXT",
    "TEXT_FORMAT",
    "WIDTHS",
    "Column",
    "RosterFileError",
    "RosterReading",
    "RosterRow",
    "RowError",
    "check_against_database",
    "export_filename",
    "export_roster",
    "import_rows",
    "parse_date",
    "parse_ethnicity",
    "parse_gender",
    "parse_id_number",
    "parse_name",
    "parse_phone",
    "parse_roster",
    "parse_status",
    "read_roster",
    "roster_template",
    "row_problems",
]
