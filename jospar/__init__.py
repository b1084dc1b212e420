"""jospar: control of state plans and programs, and the citizen portal around them."""

__version__ = "0.1.0"
