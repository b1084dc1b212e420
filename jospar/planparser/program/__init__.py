"""The program reader: a state program's text (prose, headings, lists) → its tree.

Plain Python beside the plan importer, sharing its text handling (`jospar.planparser.sources`,
`textutil`); no Django.
"""

from jospar.planparser.program.reader import parse_program

__all__ = ["parse_program"]
