"""The Regulations as code: pure functions over plain values, no Django, no I/O.

Every rule cites its ID from ../shared/RULES.md next to the code that enforces it.
"""
