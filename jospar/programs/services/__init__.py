"""State changes of programs: each a service ``<entity>_<verb>(*, actor, ...)``."""

from jospar.programs.services.importing import ProgramImportOutcome, program_import

__all__ = ["ProgramImportOutcome", "program_import"]
