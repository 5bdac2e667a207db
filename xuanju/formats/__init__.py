"""The open file formats: the one door through which files enter and results leave.

Each format has a JSON Schema under ``schemas/``; parsing validates the structure against it, then
asks the rules what makes the content impossible, and reports both in Chinese with the JSON path.
"""

from xuanju.formats.errors import InputError

__all__ = ["InputError"]
