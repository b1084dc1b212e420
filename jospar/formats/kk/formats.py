"""Kazakh number formats, which Django does not ship: a decimal comma and a non-breaking space
between thousands ("1 234,5"), as in Russian. Dates keep Django's defaults (see decisions)."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
